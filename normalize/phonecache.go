package normalize

import (
	"hash/maphash"
	"strings"
	"sync"
)

// PhoneCache remembers E.164 forms by what decides them (region, a leading
// plus, the digits), so that one person's number written in several formats
// across records is parsed once. libphonenumber's parse is regular
// expressions all the way down: it was the largest cost of preparing
// records for entity resolution, and then of every later stage that read
// the same numbers again. One cache serves a whole scan; it is safe for
// concurrent use, and its zero value is ready.
type PhoneCache struct {
	m   shardedMap // region|digits → E.164
	nsn shardedMap // E.164 → national significant number
}

// shardedMap is a map of strings for a few writers and many readers on
// every core. A sync.Map boxes each key and value and reaches them through
// a trie of pointers: for the millions of numbers of a large case it was
// a quarter of a gigabyte, and its lookups a sixth of the cache's time.
type shardedMap struct {
	shards [64]struct {
		mu sync.RWMutex
		m  map[string]string
	}
}

var shardSeed = maphash.MakeSeed()

func (s *shardedMap) shard(key string) int {
	return int(maphash.String(shardSeed, key) % uint64(len(s.shards)))
}

func (s *shardedMap) Load(key string) (string, bool) {
	sh := &s.shards[s.shard(key)]
	sh.mu.RLock()
	v, ok := sh.m[key]
	sh.mu.RUnlock()
	return v, ok
}

// Store keeps the first value stored for a key: every caller computes the
// same one.
func (s *shardedMap) Store(key, v string) {
	sh := &s.shards[s.shard(key)]
	sh.mu.Lock()
	if sh.m == nil {
		sh.m = map[string]string{}
	}
	if _, ok := sh.m[key]; !ok {
		sh.m[key] = v
	}
	sh.mu.Unlock()
}

// maxPhoneText is the longest text libphonenumber parses.
const maxPhoneText = 250

// Phone is Phone(raw, region), remembered.
func (c *PhoneCache) Phone(raw, region string) string {
	if c == nil {
		return Phone(raw, region)
	}
	if raw == "" {
		return ""
	}
	// The parser refuses texts over 250 bytes whatever their digits, and
	// reads a second plus by where it stands: such texts go to it whole.
	if len(raw) > maxPhoneText || strings.Count(raw, "+") > 1 {
		return Phone(raw, region)
	}
	var buf [64]byte
	key := append(buf[:0], region...)
	key = append(key, '|')
	for i := 0; i < len(raw); i++ {
		switch ch := raw[i]; {
		case ch >= '0' && ch <= '9' || ch == '+':
			key = append(key, ch)
		case ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == '/':
		default:
			// Letters (an extension, a vanity number) or other marks: not
			// worth the risk of a wrong key.
			return Phone(raw, region)
		}
	}
	if v, ok := c.m.Load(string(key)); ok {
		return v
	}
	// The key's digits are what the parser reads of raw: parsed instead,
	// they spare its regular expressions the punctuation, a fifth of
	// their work.
	v, nsn := phone(string(key[len(region)+1:]), region)
	c.m.Store(string(key), v)
	if nsn != "" {
		// The parse that gave the E.164 form gives its national number
		// too: keep it for NationalNumber, which would parse again.
		c.nsn.Store(v, nsn)
	}
	return v
}

// Known is Phone(raw, region) for a number whose E.164 form was stored at
// ingest: the stored form, where there is one.
func (c *PhoneCache) Known(e164, raw, region string) string {
	if e164 != "" {
		return e164
	}
	return c.Phone(raw, region)
}

// KnownNational is NationalNumber(e164) where the national number was
// stored with it: the stored one, where there is one.
func (c *PhoneCache) KnownNational(nsn, e164 string) string {
	if nsn != "" || e164 == "" {
		return nsn
	}
	return c.NationalNumber(e164)
}

// NationalNumber is NationalNumber(e164), remembered.
func (c *PhoneCache) NationalNumber(e164 string) string {
	if c == nil {
		return NationalNumber(e164)
	}
	if v, ok := c.nsn.Load(e164); ok {
		return v
	}
	v := NationalNumber(e164)
	c.nsn.Store(e164, v)
	return v
}
