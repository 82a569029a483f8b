package filo

import (
	"cmp"
	"encoding/binary"
	"iter"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unsafe"
)

// A large case is ten million transactions and millions of sessions. As
// slices of records they were most of a scan's memory: 280 bytes of
// string headers, times and provenance per payment before a byte of
// data, all of it pointers the garbage collector reads on every cycle.
// Transactions and Sessions hold the same records as rows of numbers
// instead: a repeated value (a party id, a country, a file name) is a code
// into the table's dictionary, the values of a record that seldom repeat
// (its id, its reference) are packed into one byte string, and a time is
// its seconds, nanoseconds and zone. A record is rebuilt when it is read,
// from strings the table holds: reading allocates nothing. A string read
// is a view of the table's text, and keeps all of it in memory while it is
// kept: clone what must outlive the table.
//
// Neither is to be copied once appended to: a copy shares the first's
// memory, as a copied strings.Builder would.

// columns is what Transactions and Sessions share: the dictionary, the
// packed strings, the zones and the extra attributes of their rows.
type columns struct {
	codes map[string]uint32 // nil once trimmed; rebuilt by the next append
	dict  []string          // dict[0] is ""
	text  [][]byte          // each record's values that seldom repeat, one after the other, in segments
	zones []*time.Location  // zones[0] is UTC
	zone  map[zoneKey]uint16
	attrs []Attrs // attrs[0] is nil: rows without extra attributes
	last  [10]lastCode
}

// zoneKey tells zones apart by value where they have no name: a parser
// makes a new location for every unnamed offset it reads, and they are all
// the same zone.
type zoneKey struct {
	loc *time.Location // nil for an unnamed fixed zone
	off int
}

// code gives s its code in the dictionary; column is which of the row's
// columns s is for. Rows come from a store in the order they were written,
// where a sender's payments follow one another: the column's last value
// is tried first, and most lookups end there.
func (c *columns) code(column int, s string) uint32 {
	// A column's last value starts as "", whose code is 0.
	if l := &c.last[column]; l.s == s {
		return l.k
	}
	if c.codes == nil {
		c.codes = make(map[string]uint32, max(len(c.dict), 64))
		for i, v := range c.dict {
			c.codes[v] = uint32(i)
		}
	}
	k, ok := c.codes[s]
	if !ok {
		// The caller's string may be a view of a buffer it reuses.
		s = strings.Clone(s)
		k = uint32(len(c.dict))
		c.dict = append(c.dict, s)
		c.codes[s] = k
	}
	c.last[column] = lastCode{c.dict[k], k}
	return k
}

// begin readies the dictionary and the zones for appending: "" is code
// 0, and UTC zone 0.
func (c *columns) begin() {
	if len(c.dict) == 0 {
		c.dict = append(c.dict, "")
	}
	if len(c.zones) == 0 {
		c.zones = append(c.zones, time.UTC)
		c.zone = map[zoneKey]uint16{{loc: time.UTC}: 0}
	}
}

// lastCode is a column's last value and its code.
type lastCode struct {
	s string
	k uint32
}

// stamp is a time as a table row holds it.
type stamp struct {
	sec  int64
	nsec int32
	zone uint16
}

func (c *columns) stamp(t time.Time) stamp {
	loc := t.Location()
	name, off := t.Zone()
	key := zoneKey{loc: loc}
	if name == "" && loc != time.UTC {
		key = zoneKey{off: off}
	}
	z, ok := c.zone[key]
	if !ok {
		z = uint16(len(c.zones))
		if int(z) != len(c.zones) {
			panic("filo: more than 65535 time zones in one table")
		}
		c.zones = append(c.zones, loc)
		c.zone[key] = z
	}
	return stamp{sec: t.Unix(), nsec: int32(t.Nanosecond()), zone: z}
}

// time rebuilds a time as it was stamped; the zero time too, whose Unix
// seconds come back to it.
func (c *columns) time(s stamp) time.Time {
	return time.Unix(s.sec, int64(s.nsec)).In(c.zones[s.zone])
}

// longText marks, in a row's lengths, a string too long for them: its
// length is then written before it in the text.
const longText = 1<<16 - 1

// textSegment is the size of a segment of packed text. The text is held
// in segments, not one slice: one slice grown by appending was copied
// again and again as it grew to gigabytes, and each copy left the last
// for the collector.
const textSegment = 16 << 20

// pack appends the strings of one record to the packed text, with their
// lengths in lens, and returns where they start: the segment in the high
// 32 bits, the offset in it in the low. A record's strings share a
// segment. A row keeps the lengths so that reading one string touches no
// other's bytes: a scan reads a payment's parties and amount ten million
// times, its id a few thousand.
func (c *columns) pack(lens []uint16, ss ...string) uint64 {
	need := 0
	for _, s := range ss {
		need += len(s)
		if len(s) >= longText {
			need += binary.MaxVarintLen64
		}
	}
	if n := len(c.text); n == 0 || cap(c.text[n-1])-len(c.text[n-1]) < need {
		c.text = append(c.text, make([]byte, 0, max(textSegment, need)))
	}
	seg := len(c.text) - 1
	text := c.text[seg]
	off := uint64(seg)<<32 | uint64(len(text))
	for i, s := range ss {
		if len(s) >= longText {
			lens[i] = longText
			text = binary.AppendUvarint(text, uint64(len(s)))
		} else {
			lens[i] = uint16(len(s))
		}
		text = append(text, s...)
	}
	c.text[seg] = text
	return off
}

// textBytes is how many bytes of packed text c holds.
func (c *columns) textBytes() int {
	n := 0
	for _, t := range c.text {
		n += len(t)
	}
	return n
}

// unpack reads the strings packed at off into out, as far as out goes.
// They are views of a segment of the text, which never moves: pack starts
// a new segment rather than grow one past its capacity.
func (c *columns) unpack(off uint64, lens []uint16, out ...*string) {
	text := c.text[off>>32]
	p := uint32(off)
	for i, s := range out {
		n := uint32(lens[i])
		if n == longText {
			v, w := binary.Uvarint(text[p:])
			n, p = uint32(v), p+uint32(w)
		}
		if n == 0 {
			*s = ""
			continue
		}
		*s = unsafe.String(&text[p], int(n))
		p += n
	}
}

func (c *columns) attr(a Attrs) uint32 {
	if len(a) == 0 {
		return 0
	}
	if len(c.attrs) == 0 {
		c.attrs = append(c.attrs, nil)
	}
	c.attrs = append(c.attrs, a)
	return uint32(len(c.attrs) - 1)
}

func (c *columns) attrsOf(k uint32) Attrs {
	if k == 0 {
		return nil
	}
	return c.attrs[k]
}

func (c *columns) str(k uint32) string { return c.dict[k] }

// Dict is the table's dictionary: every value of its repeating columns
// (party, account and file names, countries, currencies), each once, at
// its code. A reader that looks a column up in a map of its own, ten
// million times over a large case, looks each value up once instead:
// into a slice by code, then per row by the row's code. It is not to be
// changed.
func (c *columns) Dict() []string { return c.dict }

// trim lets the dictionary's index go: only appending needs it.
func (c *columns) trim() { c.codes = nil }

// reorder puts at each position p the row that was at from[p], and uses
// from as scratch. It follows each cycle of the permutation, so that no
// second copy of the rows is needed.
func reorder[T any](rows []T, from []int32) {
	for start := range from {
		if from[start] < 0 || int(from[start]) == start {
			continue
		}
		held := rows[start]
		p := start
		for {
			f := int(from[p])
			from[p] = -1
			if f == start {
				rows[p] = held
				break
			}
			rows[p] = rows[f]
			p = f
		}
	}
}

// timeKey is what byTime sorts: a row's time, its index and the first
// eight bytes of its id, big-endian, zeros after its end.
type timeKey struct {
	sec  int64
	nsec int32
	i    int32
	pre  uint64
}

func compareTimeKeys(a, b timeKey) int {
	// Most keys differ in their seconds: the rest is compared only
	// then (cmp.Or would compare all of it every time).
	if a.sec != b.sec {
		return cmp.Compare(a.sec, b.sec)
	}
	return cmp.Or(cmp.Compare(a.nsec, b.nsec), cmp.Compare(a.pre, b.pre), cmp.Compare(a.i, b.i))
}

// radixFrom is the number of keys from which sortTimeKeys sorts by radix.
var radixFrom = 1 << 12

// sortTimeKeys sorts keys as slices.SortFunc with compareTimeKeys does.
// Millions of keys are first ordered by their seconds with a stable
// radix sort, a few passes over the keys instead of the twenty-odd
// rounds of comparisons of a sort of ten million (most of the time a
// large case's load spent ordering its payments); keys that share their
// second, still in index order, are then sorted by the rest.
func sortTimeKeys(keys []timeKey) {
	if len(keys) < radixFrom {
		slices.SortFunc(keys, compareTimeKeys)
		return
	}
	least, most := keys[0].sec, keys[0].sec
	for _, k := range keys {
		least, most = min(least, k.sec), max(most, k.sec)
	}
	// Offsets from the earliest second, as unsigned: exact for any span.
	span := uint64(most) - uint64(least)
	const digit = 11
	const buckets = 1 << digit
	src, dst := keys, make([]timeKey, len(keys))
	for shift := 0; shift < bits.Len64(span); shift += digit {
		var start [buckets + 1]int
		for _, k := range src {
			start[(uint64(k.sec)-uint64(least))>>shift&(buckets-1)+1]++
		}
		for b := 1; b <= buckets; b++ {
			start[b] += start[b-1]
		}
		for _, k := range src {
			b := (uint64(k.sec) - uint64(least)) >> shift & (buckets - 1)
			dst[start[b]] = k
			start[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].sec == keys[lo].sec {
			hi++
		}
		if hi-lo > 1 {
			slices.SortFunc(keys[lo:hi], compareTimeKeys)
		}
		lo = hi
	}
}

// byTime orders rows by a time, then by id (nil: the order they are in),
// sorting indexes and moving each row once. The sort compares the ids'
// first eight bytes, read in one pass in row order, where the text lies
// in order too: reading whole ids inside the sort of millions, each a
// jump into the text, was most of the time it took. Rows whose time and
// first bytes are the same, a few in a run, are ordered by their whole
// ids once the rest is sorted.
func byTime[T any](rows []T, at func(*T) stamp, id func(i int32) string) {
	keys := make([]timeKey, len(rows))
	for i := range rows {
		s := at(&rows[i])
		keys[i] = timeKey{sec: s.sec, nsec: s.nsec, i: int32(i)}
		if id != nil {
			keys[i].pre = idPrefix(id(int32(i)))
		}
	}
	sortTimeKeys(keys)
	if id != nil {
		for lo := 0; lo < len(keys); {
			hi := lo + 1
			for hi < len(keys) && keys[hi].sec == keys[lo].sec && keys[hi].nsec == keys[lo].nsec && keys[hi].pre == keys[lo].pre {
				hi++
			}
			if hi-lo > 1 {
				slices.SortStableFunc(keys[lo:hi], func(a, b timeKey) int { return strings.Compare(id(a.i), id(b.i)) })
			}
			lo = hi
		}
	}
	from := make([]int32, len(keys))
	for p, k := range keys {
		from[p] = k.i
	}
	reorder(rows, from)
}

// idPrefix orders as s does among strings whose first eight bytes differ:
// a shorter string's missing bytes are zeros, below any byte but a zero,
// and strings that share eight bytes or a zero-padded prefix are told
// apart whole.
func idPrefix(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}

// table is rows of one kind, with their columns: what Transactions and
// Sessions share beyond how a row is made and read.
type table[R, T any] struct {
	rows []R
	columns
}

// Len is the number of records.
func (t *table[R, T]) Len() int { return len(t.rows) }

// Grow makes room for n more records.
func (t *table[R, T]) Grow(n int) { t.rows = slices.Grow(t.rows, n) }

// Trim lets go of what only appending needs, once a table is complete.
func (t *table[R, T]) Trim() {
	t.trim()
	t.rows = slices.Clip(t.rows)
}

func (t *table[R, T]) all(at func(int) T) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for i := range t.rows {
			if !yield(i, at(i)) {
				return
			}
		}
	}
}

func (t *table[R, T]) slice(at func(int) T) []T {
	out := make([]T, len(t.rows))
	for i := range out {
		out[i] = at(i)
	}
	return out
}

// Transactions is a case's payments (see above for how they are held).
// The zero value is empty and ready to use.
type Transactions struct {
	table[txRow, Transaction]
}

// txRow is a transaction as Transactions holds it: no pointers, 96 bytes.
type txRow struct {
	at                  stamp
	amount, usd         float64
	text                uint64    // where ID, AmountText, Reference, ControlNumber are
	lens                [4]uint16 // and their lengths
	line                int32
	attrs               uint32
	sender, senderAcct  uint32
	recv, recvAcct      uint32
	currency, channel   uint32
	senderCC, recvCC    uint32
	institution, source uint32
}

// TransactionsOf holds xs as Transactions.
func TransactionsOf(xs ...Transaction) Transactions {
	var ts Transactions
	ts.Grow(len(xs))
	ts.Append(xs...)
	return ts
}

// Append adds transactions at the end.
func (ts *Transactions) Append(xs ...Transaction) {
	ts.begin()
	for i := range xs {
		t := &xs[i]
		line := int32(t.Prov.Line)
		if int(line) != t.Prov.Line {
			panic("filo: a line number past 2^31")
		}
		var lens [4]uint16
		text := ts.pack(lens[:], t.ID, t.AmountText, t.Reference, t.ControlNumber)
		ts.rows = append(ts.rows, txRow{
			at:     ts.stamp(t.Time),
			amount: t.Amount, usd: t.AmountUSD,
			text: text, lens: lens,
			line:   line,
			attrs:  ts.attr(t.Attrs),
			sender: ts.code(0, t.SenderPartyID), senderAcct: ts.code(1, t.SenderAccountID),
			recv: ts.code(2, t.ReceiverPartyID), recvAcct: ts.code(3, t.ReceiverAccountID),
			currency: ts.code(4, t.Currency), channel: ts.code(5, t.Channel),
			senderCC: ts.code(6, t.SenderCountry), recvCC: ts.code(7, t.ReceiverCountry),
			institution: ts.code(8, t.Institution), source: ts.code(9, t.Prov.File),
		})
	}
}

// At returns transaction i.
func (ts *Transactions) At(i int) Transaction {
	r := &ts.rows[i]
	t := Transaction{
		Time:   ts.time(r.at),
		Amount: r.amount, AmountUSD: r.usd,
		Currency:      ts.str(r.currency),
		SenderPartyID: ts.str(r.sender), SenderAccountID: ts.str(r.senderAcct),
		ReceiverPartyID: ts.str(r.recv), ReceiverAccountID: ts.str(r.recvAcct),
		SenderCountry: ts.str(r.senderCC), ReceiverCountry: ts.str(r.recvCC),
		Channel: ts.str(r.channel), Institution: ts.str(r.institution),
		Attrs: ts.attrsOf(r.attrs),
		Prov:  Provenance{File: ts.str(r.source), Line: int(r.line)},
	}
	ts.unpack(r.text, r.lens[:], &t.ID, &t.AmountText, &t.Reference, &t.ControlNumber)
	return t
}

// PartyCodes returns the dictionary codes (see Dict) of transaction i's
// sender and receiver party ids.
func (ts *Transactions) PartyCodes(i int) (sender, receiver uint32) {
	r := &ts.rows[i]
	return r.sender, r.recv
}

// All yields every transaction with its index, in order.
func (ts *Transactions) All() iter.Seq2[int, Transaction] { return ts.all(ts.At) }

// Slice returns the transactions as records: for small cases and tests.
func (ts *Transactions) Slice() []Transaction { return ts.slice(ts.At) }

// SortByTime orders the transactions by time, then id, as a CaseReader
// gives them.
func (ts *Transactions) SortByTime() {
	byTime(ts.rows, func(r *txRow) stamp { return r.at }, func(i int32) string {
		var id string
		ts.unpack(ts.rows[i].text, ts.rows[i].lens[:], &id)
		return id
	})
}

// Sessions is a case's platform sessions (see above for how they are held).
// The zero value is empty and ready to use.
type Sessions struct {
	table[sessionRow, Session]
}

// sessionRow is a session as Sessions holds it: no pointers, 72 bytes.
type sessionRow struct {
	start, end    stamp
	text          uint64    // where SessionID and IP are
	lens          [2]uint16 // and their lengths
	line          int32
	attrs         uint32
	platform      uint32
	account, peer uint32
	kind, source  uint32
}

// SessionsOf holds xs as Sessions.
func SessionsOf(xs ...Session) Sessions {
	var ss Sessions
	ss.Grow(len(xs))
	ss.Append(xs...)
	return ss
}

// Append adds sessions at the end.
func (ss *Sessions) Append(xs ...Session) {
	ss.begin()
	for i := range xs {
		x := &xs[i]
		line := int32(x.Prov.Line)
		if int(line) != x.Prov.Line {
			panic("filo: a line number past 2^31")
		}
		var lens [2]uint16
		text := ss.pack(lens[:], x.SessionID, x.IP)
		ss.rows = append(ss.rows, sessionRow{
			start: ss.stamp(x.Start), end: ss.stamp(x.End),
			text: text, lens: lens,
			line:     line,
			attrs:    ss.attr(x.Attrs),
			platform: ss.code(0, x.Platform),
			account:  ss.code(1, x.AccountID), peer: ss.code(2, x.PeerAccountID),
			kind: ss.code(3, x.Kind), source: ss.code(4, x.Prov.File),
		})
	}
}

// At returns session i.
func (ss *Sessions) At(i int) Session {
	r := &ss.rows[i]
	x := Session{
		Platform:  ss.str(r.platform),
		AccountID: ss.str(r.account), PeerAccountID: ss.str(r.peer),
		Kind:  ss.str(r.kind),
		Start: ss.time(r.start), End: ss.time(r.end),
		Attrs: ss.attrsOf(r.attrs),
		Prov:  Provenance{File: ss.str(r.source), Line: int(r.line)},
	}
	ss.unpack(r.text, r.lens[:], &x.SessionID, &x.IP)
	return x
}

// AccountCodes returns the dictionary codes (see Dict) of session i's
// platform, account and peer account.
func (ss *Sessions) AccountCodes(i int) (platform, account, peer uint32) {
	r := &ss.rows[i]
	return r.platform, r.account, r.peer
}

// All yields every session with its index, in order.
func (ss *Sessions) All() iter.Seq2[int, Session] { return ss.all(ss.At) }

// Slice returns the sessions as records: for small cases and tests.
func (ss *Sessions) Slice() []Session { return ss.slice(ss.At) }

// SortByStart orders the sessions by start time, keeping the order of
// those that start together, as a CaseReader gives them.
func (ss *Sessions) SortByStart() {
	byTime(ss.rows, func(r *sessionRow) stamp { return r.start }, nil)
}
