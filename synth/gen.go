package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/filoproject/filo/fx"
	"github.com/filoproject/filo/truth"
)

// chunkOut holds one chunk's rows of every file, appended to the files in
// chunk order so that output does not depend on scheduling.
type chunkOut struct {
	parties, accounts, txs, pas, sessions, subs, msgs, watch, tPersons, tRecords []byte
	nTx                                                                          int
}

// gen generates one chunk of the world with its own random stream.
type gen struct {
	w                                               *world
	r                                               *rand.Rand
	o                                               *chunkOut
	prefix                                          string // makes ids unique across chunks
	hseq, pseq, tseq, aseq, cseq, sseq, mseq, ipseq int
	ipFree                                          []ipSlot
	pool                                            []string // ordinary platform accounts of this chunk, for calls between people
	chunk                                           int
}

type ipSlot struct {
	ip   string
	free time.Time // the lease holding it ends then
}

func newGen(w *world, chunk int) *gen {
	seed := w.cfg.Seed
	prefix := "A"
	if chunk >= 0 {
		prefix = strconv.Itoa(chunk) + "."
	}
	return &gen{w: w, r: rand.New(rand.NewPCG(seed, uint64(chunk+2)*0x9E3779B97F4A7C15)), o: &chunkOut{}, prefix: prefix, chunk: chunk}
}

// party writes one institution's record of p and returns its id. A stable
// customer record is reused; walk-in records are new each time.
func (g *gen) party(p *person, inst string, walkIn bool, noise float64) string {
	if !walkIn {
		if id, ok := p.records[inst]; ok {
			return id
		}
	}
	// A shared receiver is read by many chunks at once: a record it lacks
	// is made as a one-off here and never remembered.
	walkIn = walkIn || p.shared
	r := g.r
	g.pseq++
	id := "P" + g.prefix + strconv.Itoa(g.pseq)
	kind := "person"
	name := p.given
	birth, phone, email, addr, idn, city := "", "", "", "", "", ""
	if p.org {
		kind = "organization"
		if r.Float64() < 0.3*noise {
			name = strings.ToUpper(name)
		}
		addr, city = p.address, p.city
	} else {
		name = nameVariant(r, p.given, p.family, p.c.names.familyFirst, noise)
		if r.Float64() < 0.75 {
			birth = p.birth
			if r.Float64() < 0.04*noise && birth[8:] <= "12" { // day and month swapped
				birth = birth[:5] + birth[8:] + "-" + birth[5:7]
			}
		}
		if r.Float64() < 0.65 {
			phone = writePhone(r, p.c, p.phone)
		}
		if p.email != "" && r.Float64() < 0.4 {
			email = p.email
			if r.Float64() < 0.2 {
				email = strings.ToUpper(email[:1]) + email[1:]
			}
		}
		if r.Float64() < 0.6 {
			addr, city = p.address, p.city
			if r.Float64() < 0.3*noise {
				addr = fold(strings.ToUpper(addr))
			}
		}
		if r.Float64() < 0.45 {
			idn = p.idNumber
			if r.Float64() < 0.3 {
				idn = idn[:2] + "-" + idn[2:]
			}
		}
	}
	g.o.parties = row(g.o.parties, id, kind, name, birth, p.c.code, city, addr, phone, email, idn, inst, p.category)
	g.o.tRecords = row(g.o.tRecords, truth.RecordParty, id, p.id)
	if !walkIn {
		p.records[inst] = id
	}
	return id
}

// platformAccount opens an account for p; sometimes it carries an email or
// phone that also appears on a party record.
func (g *gen) platformAccount(p *person, identifiers float64) string {
	r := g.r
	g.aseq++
	plat := pick(r, platforms)
	id := "u" + g.prefix + strconv.Itoa(g.aseq)
	handle := pick(r, []string{"blue", "night", "happy", "lucky", "silent", "wild", "sunny", "cool", "lonely", "free"}) +
		"_" + pick(r, []string{"owl", "tiger", "rider", "star", "wolf", "traveler", "guy", "rose", "fox", "moon"}) + strconv.Itoa(r.IntN(999))
	display := ""
	if !p.org && r.Float64() < 0.5 {
		display = fold(strings.Fields(p.given)[0])
	}
	email, phone := "", ""
	if p.email != "" && r.Float64() < identifiers {
		email = p.email
	}
	if r.Float64() < identifiers*0.5 {
		phone = p.phone
	}
	created := g.w.start.AddDate(0, -r.IntN(36), -r.IntN(28)).Format("2006-01-02")
	g.o.pas = row(g.o.pas, plat, id, handle, display, email, phone, created)
	ref := plat + ":" + id
	g.o.tRecords = row(g.o.tRecords, truth.RecordPlatformAccount, ref, p.id)
	p.platforms = append(p.platforms, ref)
	return ref
}

func splitRef(ref string) (string, string) {
	i := strings.IndexByte(ref, ':')
	return ref[:i], ref[i+1:]
}

// homeLeases gives p home IP leases over the two years (a provider
// reassigns addresses, so the same IP belongs to others at other times),
// writing the subscriber records.
type lease struct {
	ip         string
	start, end time.Time
}

func (g *gen) homeLeases(p *person) []lease {
	r := g.r
	var out []lease
	t := g.w.start.AddDate(0, -r.IntN(6), 0)
	for t.Before(g.w.end) {
		end := t.AddDate(0, 3+r.IntN(9), r.IntN(28))
		ip := g.ip(t, end)
		out = append(out, lease{ip, t, end})
		name := nameVariant(r, p.given, p.family, p.c.names.familyFirst, 0.5)
		phone, email := "", ""
		if r.Float64() < 0.4 {
			phone = writePhone(r, p.c, p.phone)
		}
		if p.email != "" && r.Float64() < 0.5 {
			email = p.email
		}
		isp := p.c.code + pick(r, []string{" Telecom", " Broadband", " Fibre", " Cable"})
		g.o.subs = row(g.o.subs, ip, ts(t.In(p.loc)), ts(end.In(p.loc)), isp, name, p.address, phone, email)
		t = end
	}
	return out
}

// ip hands out an address free over [start, end): a freed one when there is
// one, so that addresses are reused by other subscribers later.
func (g *gen) ip(start, end time.Time) string {
	for k := 0; k < 4 && len(g.ipFree) > 0; k++ {
		i := g.r.IntN(len(g.ipFree))
		if !g.ipFree[i].free.After(start) {
			ip := g.ipFree[i].ip
			g.ipFree[i].free = end
			return ip
		}
	}
	g.ipseq++
	// 100.64.0.0/10 (shared address space): 2^22 addresses, 4,096 per chunk.
	n := (g.chunk+1)*4096 + g.ipseq%4096
	ip := "100." + strconv.Itoa(64+(n>>16)&63) + "." + strconv.Itoa((n>>8)&255) + "." + strconv.Itoa(n&255)
	g.ipFree = append(g.ipFree, ipSlot{ip, end})
	return ip
}

func (g *gen) mobileIP() string {
	return "2001:db8:" + strconv.FormatInt(int64(g.chunk+2), 16) + ":" + strconv.FormatInt(int64(g.r.IntN(65536)), 16) + "::" + strconv.FormatInt(int64(1+g.r.IntN(65534)), 16)
}

func ts(t time.Time) string { return t.Format(time.RFC3339) }

// session writes one session.
func (g *gen) session(account, peer, kind string, start time.Time, minutes int, ip string) {
	g.sseq++
	plat, id := splitRef(account)
	peerID := ""
	if peer != "" {
		_, peerID = splitRef(peer)
	}
	end := ""
	if minutes > 0 {
		end = ts(start.Add(time.Duration(minutes) * time.Minute))
	}
	g.o.sessions = row(g.o.sessions, plat, "S"+g.prefix+strconv.Itoa(g.sseq), id, peerID, kind, ts(start), end, ip)
}

// message writes one chat message.
func (g *gen) message(conv, sender string, at time.Time, text string) {
	g.mseq++
	plat, id := splitRef(sender)
	g.o.msgs = row(g.o.msgs, plat, conv, "M"+g.prefix+strconv.Itoa(g.mseq), ts(at), id, text)
}

// money converts a USD figure into the sender's currency as a person would
// send it: rounded to a nice figure sometimes, with cents where the
// currency has them.
func money(r *rand.Rand, usd float64, c *country, roundP float64) (float64, string) {
	rate, _ := fx.Reference(c.currency)
	v := usd / rate
	if r.Float64() < roundP {
		step := math.Pow(10, math.Floor(math.Log10(v))) / 2
		if step < 1 {
			step = 1
		}
		v = math.Max(step, math.Round(v/step)*step)
	}
	if c.minorUnits {
		v = math.Round(v*100) / 100
		return v, strconv.FormatFloat(v, 'f', 2, 64)
	}
	v = math.Max(1, math.Round(v))
	return v, strconv.FormatFloat(v, 'f', 0, 64)
}

// tx writes one transaction.
func (g *gen) tx(at time.Time, from *person, fromParty string, to *person, toParty string, usd, roundP float64, channel, inst, ref string, control string) {
	g.tseq++
	g.o.nTx++
	_, amt := money(g.r, usd, from.c, roundP)
	g.o.txs = row(g.o.txs, "T"+g.prefix+strconv.Itoa(g.tseq), ts(at), amt, from.c.currency, fromParty, "", toParty, "",
		from.c.code, to.c.code, channel, inst, ref, control)
}

func (g *gen) controlNumber() string {
	b := make([]byte, 10)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	b[0] = byte('1' + g.r.IntN(9))
	return string(b)
}

// at returns a local time on day d at hour h (fractional).
func at(d time.Time, loc *time.Location, hour float64) time.Time {
	y, m, dd := d.Date()
	h := int(hour)
	min := int((hour - float64(h)) * 60)
	return time.Date(y, m, dd, 0, 0, 0, 0, loc).Add(time.Duration(h)*time.Hour + time.Duration(min)*time.Minute)
}

// nightHour is late evening or night (20:00 to 02:00).
func nightHour(r *rand.Rand) float64 { return math.Mod(20+r.Float64()*6, 24) }

// dayHour is a waking hour, most often by day.
func dayHour(r *rand.Rand) float64 { return 8 + r.Float64()*13 }

func (g *gen) randomDay(from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	return from.Add(time.Duration(g.r.Int64N(int64(span))))
}

func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// watchlistRing reports some of a ring's identifiers, with the name
// variants partner agencies write.
func (g *gen) watchlistRing(rg *ring) {
	r := g.r
	src := pick(r, []string{"partner agency A", "partner agency B", "Europol referral", "NCMEC-style referral"})
	for i, m := range rg.members {
		if i > 0 && r.Float64() < 0.6 {
			continue
		}
		if r.Float64() < 0.8 {
			g.o.watch = row(g.o.watch, "name", nameVariant(r, m.given, m.family, m.c.names.familyFirst, 0.8), m.c.code, src, "reported as receiving payments")
		}
		if r.Float64() < 0.5 {
			g.o.watch = row(g.o.watch, "phone", writePhone(r, m.c, m.phone), m.c.code, src, "")
		}
		if m.email != "" && r.Float64() < 0.2 {
			g.o.watch = row(g.o.watch, "email", m.email, m.c.code, src, "")
		}
	}
	if r.Float64() < 0.5 && len(rg.accounts) > 0 {
		g.o.watch = row(g.o.watch, "platform_account", rg.accounts[0], rg.c.code, src, "")
	}
}

// watchlistNoise adds entries about nobody in this world.
func (g *gen) watchlistNoise(n int) {
	for i := 0; i < n; i++ {
		c := countries[pickWeighted(g.r, corridorWeights)]
		save := g.o.tPersons
		p := g.newPerson(truth.RoleOrdinary, c, c)
		g.o.tPersons = save
		g.hseq--
		g.o.watch = row(g.o.watch, "name", p.given+" "+p.family, c.code, "partner agency C", "unconfirmed")
	}
}
