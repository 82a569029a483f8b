package synth

import (
	"math"
	"strconv"
	"time"

	"github.com/filoproject/filo/truth"
)

var innocentRefs = []string{"family support", "school fees", "medical", "for mama", "uniform", "rent", "allowance", "gift", "tuition", "for the kids", "help", "accommodation"}

// sender makes one sender of the given role with everything they do.
func (g *gen) sender(role string) {
	r := g.r
	home := countries[pickWeighted(r, senderWeights)]
	switch role {
	case truth.RoleBuyer:
		names := home
		if r.Float64() < 0.15 {
			names = countries[pickWeighted(r, senderWeights)]
		}
		g.buyer(g.newPerson(role, home, names))
	case truth.RoleFamilyRemitter:
		dest := countries[pickWeighted(r, corridorWeights)]
		if r.Float64() < 0.35 {
			dest = countries[pickWeighted(r, otherDestWeights)]
		}
		g.remitter(g.newPerson(role, home, dest), dest)
	case truth.RolePartnerSupporter:
		g.partnerSupporter(g.newPerson(role, home, home))
	case truth.RoleCharitySponsor:
		g.sponsor(g.newPerson(role, home, home))
	case truth.RoleRomanceVictim:
		g.romanceVictim(g.newPerson(role, home, home))
	case truth.RoleAdultCustomer:
		g.adultCustomer(g.newPerson(role, home, home))
	case truth.RoleImporter:
		p := g.newOrg(role, home, pick(r, []string{"Atlas", "Northern", "Westside", "Summit", "Harbor", "Meridian"})+" "+
			pick(r, []string{"Imports", "Trading", "Retail Group", "Distribution"}), "")
		g.importer(p)
	default:
		g.ordinary(g.newPerson(truth.RoleOrdinary, home, home))
	}
}

// domesticLife: a few card payments at home, so that nobody is unusual
// just by having only foreign payments.
func (g *gen) domesticLife(p *person) {
	r := g.r
	ms := g.w.merchants["grocery_"+p.c.code]
	if len(ms) == 0 {
		return
	}
	bank := p.c.code + " Bank"
	from := g.party(p, bank, false, 0.2)
	for i, n := 0, 2+r.IntN(5); i < n; i++ {
		m := pick(r, ms)
		d := g.randomDay(g.w.start, g.w.end)
		g.tx(at(d, p.loc, dayHour(r)), p, from, m, g.party(m, bank, false, 0), lognormal(r, 60, 0.6), 0, "card", bank, "", "")
	}
}

// online gives p platform accounts and home leases, and returns a function
// telling which IP p used at a time (home when a lease covers it).
func (g *gen) online(p *person, accounts int, identifiers float64) func(time.Time) string {
	for i := 0; i < accounts; i++ {
		g.platformAccount(p, identifiers)
	}
	leases := g.homeLeases(p)
	return func(t time.Time) string {
		if g.r.Float64() < 0.8 {
			for _, l := range leases {
				if !t.Before(l.start) && t.Before(l.end) {
					return l.ip
				}
			}
		}
		return g.mobileIP()
	}
}

// logins writes logins of p's accounts at random times: two for every
// account (a platform's answer to a data request carries the login history
// of each account), then n more on any of them.
func (g *gen) logins(p *person, n int, ipAt func(time.Time) string) {
	login := func(acc string) {
		t := at(g.randomDay(g.w.start, g.w.end), p.loc, dayHour(g.r)+2)
		g.session(acc, "", "login", t, 0, ipAt(t))
	}
	for _, acc := range p.platforms {
		login(acc)
		login(acc)
	}
	for i := 0; i < n && len(p.platforms) > 0; i++ {
		login(pick(g.r, p.platforms))
	}
}

func (g *gen) buyer(p *person) {
	r := g.r
	n := int(math.Pow(r.Float64(), -1/0.88))
	if n > 300 {
		n = 300
	}
	if n < 1 {
		n = 1
	}
	// Several facilitators each for the prolific ones.
	k := 1
	if n > 2 {
		k = 1 + int(math.Min(5, float64(r.IntN(1+n/8))))
	}
	rings := []*ring{pick(r, g.w.rings)}
	for len(rings) < k {
		rg := pick(r, g.w.rings)
		if rg.c != rings[0].c && r.Float64() < 0.6 {
			continue
		}
		rings = append(rings, rg)
	}
	// Escalation: amounts rise and gaps shrink as the count grows (AIC-589).
	a0 := math.Min(150, math.Max(8, lognormal(r, 26, 0.45)))
	gap0 := lognormal(r, 24, 0.5)
	esc := 0.0
	if n >= 5 {
		esc = 0.3 + r.Float64()*1.2
	}
	span := 0.0
	for i := 0; i < n; i++ {
		span += gap0 * (1 - 0.6*float64(i)/float64(n))
	}
	total := g.w.end.Sub(g.w.start).Hours() / 24
	if span > total-5 {
		gap0 *= (total - 5) / span
		span = total - 5
	}
	day := g.w.start.Add(time.Duration(r.Float64()*(total-span)*24) * time.Hour)

	nmto := 1 + r.IntN(3)
	myMTOs := make([]string, nmto)
	for i := range myMTOs {
		myMTOs[i] = pick(r, mtos)
	}
	walkIn := r.Float64() < 0.3
	far := p.c.code != "AU" && p.c.code != "JP" && p.c.code != "SG"
	nightP := 0.75
	if !far {
		nightP = 0.45
	}

	accounts := 0
	if r.Float64() < 0.95 {
		accounts = 1 + r.IntN(3)
	}
	ipAt := g.online(p, accounts, 0.25)
	g.logins(p, 3+n/3, ipAt)
	chats := r.Float64() < 0.3
	conv := map[string]string{}

	for i := 0; i < n; i++ {
		frac := float64(i) / float64(n)
		usd := a0 * (1 + esc*frac) * math.Exp(0.25*r.NormFloat64())
		hour := dayHour(r)
		if r.Float64() < nightP {
			hour = nightHour(r)
		}
		t := at(day, p.loc, hour)
		rg := pick(r, rings)
		to := rg.members[r.IntN(len(rg.members))]
		channel, inst, control := "mto", pick(r, myMTOs), ""
		switch x := r.Float64(); {
		case x < 0.75:
			control = g.controlNumber()
		case x < 0.9:
			channel, inst = "ewallet", pick(r, wallets)
		case x < 0.95:
			channel, inst = "bank", p.c.code+" Bank"
		default:
			channel, inst = "crypto", pick(r, exchanges)
		}
		ref := ""
		if r.Float64() < 0.25 {
			ref = pick(r, innocentRefs)
		}
		from := g.party(p, inst, walkIn && channel == "mto", 0.8)
		g.tx(t, p, from, to, g.party(to, inst, false, 0.6), usd, 0.5, channel, inst, ref, control)

		if len(p.platforms) > 0 && len(rg.accounts) > 0 {
			mine, theirs := pick(r, p.platforms), pick(r, rg.accounts)
			if r.Float64() < 0.55 {
				call := t.Add(time.Duration((r.Float64()*4 - 2) * float64(time.Hour)))
				ip := ipAt(call)
				if r.Float64() < 0.5 {
					g.session(mine, "", "login", call.Add(-time.Duration(1+r.IntN(20))*time.Minute), 0, ip)
				}
				g.session(mine, theirs, "video_call", call, 10+r.IntN(35), ip)
			}
			if chats && r.Float64() < 0.4 {
				key := mine + "|" + theirs
				if conv[key] == "" {
					g.cseq++
					conv[key] = "C" + g.prefix + strconv.Itoa(g.cseq)
				}
				_, amt := money(r, usd, p.c, 0.5)
				text := pick(r, []string{"sent %A %C", "ok sent", "done, %A %C", "sent it"})
				if control != "" && r.Float64() < 0.7 {
					text = pick(r, []string{"sent %A %C, code %N", "code is %N", "MTCN %N", "here is the number %N", "sent, ref %N"})
				}
				g.message(conv[key], mine, t.Add(time.Duration(1+r.IntN(15))*time.Minute), expand(text, amt, p.c.currency, spaced(r, control)))
				g.message(conv[key], theirs, t.Add(time.Duration(16+r.IntN(30))*time.Minute), pick(r, []string{"received, thank you", "ok received", "got it", "thanks, ok", "ok"}))
			}
		}
		gap := gap0 * (1 - 0.6*frac) * math.Exp(0.35*r.NormFloat64())
		day = day.Add(time.Duration(math.Max(0.3, gap)*24) * time.Hour)
	}
	g.relatedPurchases(p, 0.35, 0.2, 0.12)
	g.domesticLife(p)
}

// relatedPurchases: adult platforms, VPNs, travel to a corridor.
func (g *gen) relatedPurchases(p *person, adult, vpn, travel float64) {
	r := g.r
	card := "CardCo " + p.c.code
	from := g.party(p, card, false, 0.3)
	if r.Float64() < adult {
		cat := "adult_platform"
		if r.IntN(3) == 0 {
			cat = "video_chat"
		}
		m := pick(r, g.w.merchants[cat])
		for i, n := 0, 2+r.IntN(18); i < n; i++ {
			t := at(g.randomDay(g.w.start, g.w.end), p.loc, nightHour(r))
			g.tx(t, p, from, m, g.party(m, card, false, 0), lognormal(r, 25, 0.4), 0.6, "card", card, "", "")
		}
	}
	if r.Float64() < vpn {
		m := pick(r, g.w.merchants["vpn"])
		for i, n := 0, 1+r.IntN(3); i < n; i++ {
			g.tx(at(g.randomDay(g.w.start, g.w.end), p.loc, dayHour(r)), p, from, m, g.party(m, card, false, 0), lognormal(r, 60, 0.3), 0.8, "card", card, "", "")
		}
	}
	if r.Float64() < travel {
		m := pick(r, g.w.merchants["travel"])
		for i, n := 0, 1+r.IntN(2); i < n; i++ {
			g.tx(at(g.randomDay(g.w.start, g.w.end), p.loc, dayHour(r)), p, from, m, g.party(m, card, false, 0), lognormal(r, 900, 0.4), 0.3, "card", card, "", "")
		}
	}
}

func expand(text, amount, currency, control string) string {
	out := make([]byte, 0, len(text)+16)
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) {
			switch text[i+1] {
			case 'A':
				out = append(out, amount...)
			case 'C':
				out = append(out, currency...)
			case 'N':
				out = append(out, control...)
			}
			i++
			continue
		}
		out = append(out, text[i])
	}
	return string(out)
}

// spaced writes a control number as people type it: whole, in groups of
// three with spaces or dashes.
func spaced(r interface{ IntN(int) int }, n string) string {
	if len(n) != 10 {
		return n
	}
	switch r.IntN(3) {
	case 0:
		return n
	case 1:
		return n[:3] + " " + n[3:6] + " " + n[6:]
	default:
		return n[:3] + "-" + n[3:6] + "-" + n[6:]
	}
}

func (g *gen) remitter(p *person, dest *country) {
	r := g.r
	nrel := 1
	switch x := r.Float64(); {
	case x < 0.25:
		nrel = 2
	case x < 0.4:
		nrel = 3 + r.IntN(2)
	}
	rels := make([]*person, nrel)
	for i := range rels {
		q := g.newPerson(truth.RoleRelative, dest, dest)
		share := 0.8
		if i > 0 {
			share = 0.55 // married sisters, in-laws
		}
		if r.Float64() < share {
			q.family = p.family
		}
		if i > 0 && r.Float64() < 0.4 {
			q.address, q.city = rels[0].address, rels[0].city
		}
		rels[i] = q
	}
	channel, inst := "mto", pick(r, mtos)
	switch x := r.Float64(); {
	case x < 0.15:
		channel, inst = "bank", p.c.code+" Bank"
	case x < 0.3:
		channel, inst = "ewallet", pick(r, wallets)
	}
	walkIn := channel == "mto" && r.Float64() < 0.15
	base := math.Min(1500, math.Max(60, lognormal(r, 250, 0.45)))
	dom := 1 + r.IntN(28)
	start := g.w.start
	if r.Float64() < 0.15 {
		start = g.randomDay(g.w.start, g.w.end.AddDate(0, -3, 0))
	}
	refP := r.Float64() * 0.6
	send := func(t time.Time, to *person, usd float64, ref string) {
		control := ""
		if channel == "mto" {
			control = g.controlNumber()
		}
		if ref == "" && r.Float64() < refP {
			ref = pick(r, innocentRefs)
		}
		g.tx(t, p, g.party(p, inst, walkIn, 0.7), to, g.party(to, inst, false, 0.5), usd, 0.7, channel, inst, ref, control)
	}
	for m := start; m.Before(g.w.end); m = m.AddDate(0, 1, 0) {
		if r.Float64() < 0.1 {
			continue
		}
		y, mo, _ := m.Date()
		d := time.Date(y, mo, dom, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(7)-3)
		if d.Before(start) || !d.Before(g.w.end) {
			continue
		}
		send(at(d, p.loc, dayHour(r)), rels[0], base*math.Exp(0.1*r.NormFloat64()), "")
		for i := 1; i < len(rels); i++ {
			if r.Float64() < 0.5 {
				send(at(d.AddDate(0, 0, r.IntN(5)), p.loc, dayHour(r)), rels[i], base*0.5*math.Exp(0.2*r.NormFloat64()), "")
			}
		}
		// Small extras: birthdays, Christmas, emergencies — in the same
		// range as buyers' payments.
		if r.Float64() < 0.12 || mo == time.December && r.Float64() < 0.5 {
			send(at(g.randomDay(d, d.AddDate(0, 0, 25)), p.loc, dayHour(r)+r.Float64()*3), pick(r, rels), 20+r.Float64()*40, pick(r, []string{"gift", "birthday", "merry christmas", "emergency", ""}))
		}
	}
	if r.Float64() < 0.3 {
		ipAt := g.online(p, 1, 0.3)
		var theirs []string
		for _, q := range rels {
			if r.Float64() < 0.6 {
				theirs = append(theirs, g.platformAccount(q, 0.2))
			}
		}
		g.logins(p, 4, ipAt)
		for t := g.randomDay(g.w.start, g.w.start.AddDate(0, 1, 0)); len(theirs) > 0 && t.Before(g.w.end); t = t.AddDate(0, 0, 10+r.IntN(30)) {
			c := at(t, p.loc, dayHour(r)+1)
			g.session(p.platforms[0], pick(r, theirs), "video_call", c, 5+r.IntN(50), ipAt(c))
		}
	}
	g.domesticLife(p)
}

func (g *gen) partnerSupporter(p *person) {
	r := g.r
	pc := countries[pickWeighted(r, []weighted{{"PH", 55}, {"TH", 30}, {"VN", 15}})]
	q := g.newPerson(truth.RolePartner, pc, pc)
	period := []int{7, 14, 30}[r.IntN(3)]
	usd := math.Min(500, math.Max(40, lognormal(r, 120*float64(period)/30+40, 0.4)))
	channel, inst := "mto", pick(r, mtos)
	if r.Float64() < 0.4 {
		channel, inst = "ewallet", pick(r, wallets)
	}
	ipAt := g.online(p, 1+r.IntN(2), 0.3)
	mine := p.platforms[0]
	theirs := g.platformAccount(q, 0.2)
	g.logins(p, 4, ipAt)
	chatty := r.Float64() < 0.15
	conv := "C" + g.prefix + "p" + strconv.Itoa(g.hseq)
	start := g.w.start
	if r.Float64() < 0.3 {
		start = g.randomDay(g.w.start, g.w.end.AddDate(0, -4, 0))
	}
	for d := start.AddDate(0, 0, r.IntN(period)); d.Before(g.w.end); d = d.AddDate(0, 0, period+r.IntN(5)-2) {
		control := ""
		if channel == "mto" {
			control = g.controlNumber()
		}
		t := at(d, p.loc, 17+r.Float64()*6)
		ref := ""
		if r.Float64() < 0.3 {
			ref = pick(r, []string{"rent", "for you", "bills", "allowance", "groceries"})
		}
		g.tx(t, p, g.party(p, inst, false, 0.5), q, g.party(q, inst, false, 0.5), usd*math.Exp(0.15*r.NormFloat64()), 0.7, channel, inst, ref, control)
		if chatty && control != "" && r.Float64() < 0.5 {
			_, amt := money(r, usd, p.c, 0.7)
			g.message(conv, mine, t.Add(10*time.Minute), expand(pick(r, []string{"sent %A %C love, code %N", "sent you %A %C", "the code is %N"}), amt, p.c.currency, spaced(r, control)))
		}
	}
	// Calls almost daily, in her evening or his: coincidences with payments
	// happen by chance.
	for d := start; d.Before(g.w.end); d = d.AddDate(0, 0, 2+r.IntN(4)) {
		c := at(d, p.loc, 17+r.Float64()*7)
		g.session(mine, theirs, "video_call", c, 15+r.IntN(60), ipAt(c))
	}
	g.domesticLife(p)
}

func (g *gen) sponsor(p *person) {
	r := g.r
	ch := pick(r, g.w.charities)
	usd := 25 + r.Float64()*20
	channel, inst := "bank", p.c.code+" Bank"
	switch x := r.Float64(); {
	case x < 0.3:
		channel, inst = "card", "CardCo "+p.c.code
	case x < 0.5:
		channel, inst = "ewallet", pick(r, wallets)
	case x < 0.6:
		channel, inst = "mto", pick(r, mtos)
	}
	ref := pick(r, []string{"child sponsorship", "education", "sponsor child #" + strconv.Itoa(1000+r.IntN(9000)), "monthly donation", ""})
	_, amt := money(r, usd, p.c, 1)
	fixedUSD := usd
	_ = amt
	dom := 1 + r.IntN(28)
	start := g.w.start
	if r.Float64() < 0.3 {
		start = g.randomDay(g.w.start, g.w.end.AddDate(0, -2, 0))
	}
	from := g.party(p, inst, false, 0.3)
	for m := start; m.Before(g.w.end); m = m.AddDate(0, 1, 0) {
		y, mo, _ := m.Date()
		d := time.Date(y, mo, dom, 0, 0, 0, 0, time.UTC)
		if d.Before(start) {
			continue
		}
		control := ""
		if channel == "mto" {
			control = g.controlNumber()
		}
		// The same figure each month: a standing order.
		g.tx(at(d, p.loc, 6+r.Float64()*4), p, from, ch, g.party(ch, inst, false, 0), fixedUSD, 1, channel, inst, ref, control)
	}
	g.domesticLife(p)
}

func (g *gen) romanceVictim(p *person) {
	r := g.r
	s := pick(r, g.w.scammers)
	n := 5 + r.IntN(16)
	usd := lognormal(r, 250, 0.3)
	day := g.randomDay(g.w.start, g.w.end.AddDate(0, -8, 0))
	gap := 20.0
	inst := pick(r, mtos)
	for i := 0; i < n && day.Before(g.w.end); i++ {
		channel, control := "mto", g.controlNumber()
		if r.Float64() < 0.2 {
			channel, inst, control = "bank", p.c.code+" Bank", ""
		}
		ref := pick(r, []string{"loan", "customs fee", "hospital bill", "ticket", "visa", ""})
		g.tx(at(day, p.loc, dayHour(r)), p, g.party(p, inst, false, 0.4), s, g.party(s, inst, false, 0.5), math.Min(10000, usd), 0.8, channel, inst, ref, control)
		usd *= 1.15 + r.Float64()*0.3
		gap = math.Max(2, gap*0.8)
		day = day.Add(time.Duration(gap*24) * time.Hour)
	}
	g.domesticLife(p)
}

func (g *gen) adultCustomer(p *person) {
	r := g.r
	g.relatedPurchases(p, 1, 0.15, 0.05)
	card := "CardCo " + p.c.code
	from := g.party(p, card, false, 0.3)
	m := pick(r, g.w.merchants["adult_platform"])
	for i, n := 0, r.IntN(10); i < n; i++ {
		t := at(g.randomDay(g.w.start, g.w.end), p.loc, nightHour(r))
		g.tx(t, p, from, m, g.party(m, card, false, 0), lognormal(r, 20, 0.4), 0.6, "card", card, "", "")
	}
	// A few pay adult performers directly, small amounts at night: the
	// strongest look-alike of a buyer in money alone.
	if r.Float64() < 0.06 {
		w := pick(r, wallets)
		perfs := []*person{pick(r, g.w.performers)}
		if r.Float64() < 0.4 {
			perfs = append(perfs, pick(r, g.w.performers))
		}
		var ipAt func(time.Time) string
		if r.Float64() < 0.6 {
			ipAt = g.online(p, 1, 0.2)
		}
		for i, n := 0, 2+r.IntN(18); i < n; i++ {
			t := at(g.randomDay(g.w.start, g.w.end), p.loc, nightHour(r))
			q := pick(r, perfs)
			g.tx(t, p, g.party(p, w, false, 0.3), q, g.party(q, w, false, 0.3), lognormal(r, 30, 0.4), 0.5, "ewallet", w, "", "")
			if ipAt != nil && len(q.platforms) > 0 && r.Float64() < 0.5 {
				c := t.Add(time.Duration(r.Float64() * float64(time.Hour)))
				g.session(p.platforms[0], q.platforms[0], "video_call", c, 10+r.IntN(30), ipAt(c))
			}
		}
	}
	g.domesticLife(p)
}

func (g *gen) importer(p *person) {
	r := g.r
	bank := p.c.code + " Bank"
	sups := []*person{pick(r, g.w.suppliers)}
	for len(sups) < 1+r.IntN(3) {
		sups = append(sups, pick(r, g.w.suppliers))
	}
	from := g.party(p, bank, false, 0.1)
	for d := g.randomDay(g.w.start, g.w.start.AddDate(0, 2, 0)); d.Before(g.w.end); d = d.AddDate(0, 0, 15+r.IntN(40)) {
		s := pick(r, sups)
		g.tx(at(d, p.loc, 9+r.Float64()*8), p, from, s, g.party(s, bank, false, 0.1), lognormal(r, 25000, 0.8), 0.4, "bank", bank,
			"invoice INV-"+strconv.Itoa(10000+r.IntN(89999)), "")
	}
}

func (g *gen) ordinary(p *person) {
	r := g.r
	g.domesticLife(p)
	g.relatedPurchases(p, 0.03, 0.06, 0.08)
	if r.Float64() < 0.08 {
		dest := countries[pickWeighted(r, corridorWeights)]
		if r.Float64() < 0.5 {
			dest = countries[pickWeighted(r, otherDestWeights)]
		}
		friend := g.newPerson(truth.RoleOrdinary, dest, dest)
		inst := pick(r, mtos)
		for i, n := 0, 1+r.IntN(2); i < n; i++ {
			g.tx(at(g.randomDay(g.w.start, g.w.end), p.loc, dayHour(r)), p, g.party(p, inst, false, 0.5), friend,
				g.party(friend, inst, false, 0.5), lognormal(r, 80, 0.6), 0.7, "mto", inst, pick(r, []string{"gift", "", "birthday", "help"}), g.controlNumber())
		}
	}
	if r.Float64() < 0.3 {
		ipAt := g.online(p, 1, 0.3)
		g.logins(p, 3+r.IntN(6), ipAt)
		g.pool = append(g.pool, p.platforms[0])
		// Heavy users call many people, often and at all hours.
		if r.Float64() < 0.08 && len(g.pool) > 5 {
			for i := 0; i < 80; i++ {
				c := at(g.randomDay(g.w.start, g.w.end), p.loc, r.Float64()*24)
				g.session(p.platforms[0], pick(r, g.pool), "video_call", c, 5+r.IntN(60), ipAt(c))
			}
		}
		if r.Float64() < 0.1 && len(g.pool) > 1 {
			conv := "C" + g.prefix + "o" + strconv.Itoa(g.hseq)
			peer := pick(r, g.pool)
			t := at(g.randomDay(g.w.start, g.w.end), p.loc, dayHour(r))
			for i, n := 0, 2+r.IntN(4); i < n; i++ {
				g.message(conv, pick(r, []string{p.platforms[0], peer}), t.Add(time.Duration(i*7)*time.Minute), ordinaryText(r))
			}
		}
	}
}

// ordinaryText: chat with numbers that are not control numbers.
func ordinaryText(r interface {
	IntN(int) int
	Float64() float64
}) string {
	n := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	switch r.IntN(8) {
	case 0:
		return "call me at +1 555 " + n(3) + " " + n(4)
	case 1:
		return "order " + n(4) + " " + n(4) + " " + n(2) + " arrives tomorrow"
	case 2:
		return "meet at " + strconv.Itoa(7+r.IntN(12)) + ":" + []string{"00", "15", "30", "45"}[r.IntN(4)]
	case 3:
		return "it was " + strconv.Itoa(10+r.IntN(90)) + " EUR in the end"
	case 4:
		return "tracking number " + n(10)
	case 5:
		return "ok see you " + []string{"monday", "tomorrow", "on the 12th", "at 9pm"}[r.IntN(4)]
	case 6:
		return "my new number is 0" + n(3) + "-" + n(3) + "-" + n(4)
	default:
		return "thanks!"
	}
}
