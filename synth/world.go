package synth

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/filoproject/filo/truth"
)

// person is one synthetic human or organisation.
type person struct {
	id        string
	role      string
	ring      string
	c         *country
	given     string
	family    string
	org       bool
	birth     string // YYYY-MM-DD
	phone     string // E.164
	email     string
	city      string
	address   string
	idNumber  string
	category  string            // merchants' merchant_category
	records   map[string]string // institution → party id (a stable customer record)
	platforms []string          // platform account ids, "platform:id"
	loc       *time.Location
	shared    bool // paid by senders of many chunks: its records are made before the chunks run
}

// ring is a facilitator ring: identities that receive for one facilitator.
type ring struct {
	id       string
	c        *country
	members  []*person // members[0] is the facilitator
	accounts []string  // platform refs the ring uses for calls and chats
	listed   bool      // partners reported some of its identifiers
}

// world is what every chunk of senders shares: the receiving side that
// many senders pay (rings, charities, merchants, scammers, performers,
// suppliers). It is built once, before the parallel part, and only read.
type world struct {
	cfg        Config
	start, end time.Time
	rings      []*ring
	charities  []*person
	merchants  map[string][]*person // by category: grocery, adult_platform, video_chat, vpn, travel
	scammers   []*person
	performers []*person
	suppliers  []*person
	senders    []string // role of each sender, shuffled
	locs       map[string]*time.Location
}

// Population sizes at scale 1.
const (
	nBuyers     = 300
	nRings      = 30
	nRemitters  = 6000
	nPartners   = 800
	nSponsors   = 3000
	nCharities  = 6
	nRomance    = 150
	nScammers   = 40
	nAdult      = 2500
	nPerformers = 60
	nImporters  = 200
	nSuppliers  = 400
	nOrdinary   = 15000
)

// MTOs and other institutions; fictional.
var (
	mtos      = []string{"RemitNow", "GlobeSend", "QuickWire", "PesoXpress", "AsiaLink Transfer"}
	wallets   = []string{"PayPocket", "SwiftWallet", "GCashy"}
	exchanges = []string{"CoinHarbor"}
	platforms = []string{"vidmeet", "chatterly", "streamly"}
)

func scaled(n int, scale float64) int {
	v := int(math.Round(float64(n) * scale))
	if v < 1 && n > 0 {
		v = 1
	}
	return v
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func pickWeighted(r *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := r.Float64() * total
	for _, w := range ws {
		if x < w.w {
			return w.v
		}
		x -= w.w
	}
	return ws[len(ws)-1].v
}

func (p *namePool) familyName(r *rand.Rand) string {
	x := r.Float64()
	for i, c := range p.familyCum {
		if x < c {
			return p.family[i]
		}
	}
	return p.family[len(p.family)-1]
}

// newPerson draws a person of a country; names come from namesOf (a
// diaspora remitter living in one country carries the names of another).
func (g *gen) newPerson(role string, c, namesOf *country) *person {
	r := g.r
	g.hseq++
	p := &person{id: g.prefix + "H" + strconv.Itoa(g.hseq), role: role, c: c, records: map[string]string{}, loc: g.w.locs[c.code]}
	female := r.IntN(2) == 0
	np := namesOf.names
	if female {
		p.given = pick(r, np.female)
	} else {
		p.given = pick(r, np.male)
	}
	p.family = np.familyName(r)
	p.birth = time.Date(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	p.phone = phoneNumber(r, c)
	if r.Float64() < 0.7 {
		p.email = slug(p.given) + "." + slug(p.family) + strconv.Itoa(r.IntN(1000)) + "@" + pick(r, []string{"example.com", "example.net", "example.org"})
	}
	p.city = pick(r, c.cities)
	p.address = strconv.Itoa(1+r.IntN(1999)) + " " + pick(r, c.streets) + ", " + p.city
	p.idNumber = string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26))) + strconv.Itoa(1000000+r.IntN(8999999))
	g.truthPerson(p)
	return p
}

func (g *gen) newOrg(role string, c *country, name, category string) *person {
	g.hseq++
	p := &person{id: g.prefix + "H" + strconv.Itoa(g.hseq), role: role, c: c, org: true, given: name, category: category,
		records: map[string]string{}, loc: g.w.locs[c.code]}
	p.city = pick(g.r, c.cities)
	p.address = strconv.Itoa(1+g.r.IntN(200)) + " " + pick(g.r, c.streets) + ", " + p.city
	p.phone = phoneNumber(g.r, c)
	g.truthPerson(p)
	return p
}

func (g *gen) truthPerson(p *person) {
	g.o.tPersons = row(g.o.tPersons, p.id, p.role, p.ring)
}

// buildWorld makes the shared receiving side.
func buildWorld(cfg Config) (*world, *chunkOut, error) {
	w := &world{cfg: cfg, merchants: map[string][]*person{}, locs: map[string]*time.Location{}}
	w.start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	w.end = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for code, c := range countries {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			return nil, nil, err
		}
		w.locs[code] = loc
	}
	g := newGen(w, -1)
	r := g.r
	s := cfg.Scale

	// Facilitator rings: a facilitator and relatives whose identities
	// receive for the ring (IJM: mostly parents and other relatives). They
	// share a family name, a phone or an address, never all for all.
	for i := 0; i < scaled(nRings, s); i++ {
		cc := countries[pickWeighted(r, []weighted{{"PH", 70}, {"VN", 12}, {"TH", 18}})]
		rg := &ring{id: "RING" + strconv.Itoa(i+1), c: cc}
		size := 2 + r.IntN(5)
		for k := 0; k < size; k++ {
			role := truth.RoleRingIdentity
			if k == 0 {
				role = truth.RoleFacilitator
			}
			p := g.newPersonInRing(role, cc, rg.id)
			if k > 0 {
				f := rg.members[0]
				if r.Float64() < 0.7 { // blood relative; others married in
					p.family = f.family
				}
				if r.Float64() < 0.45 {
					p.address = f.address
					p.city = f.city
				}
				if r.Float64() < 0.35 {
					p.phone = f.phone
				}
			}
			rg.members = append(rg.members, p)
		}
		nacc := 1 + r.IntN(3)
		for k := 0; k < nacc; k++ {
			rg.accounts = append(rg.accounts, g.platformAccount(rg.members[0], 0.3))
		}
		if len(rg.members) > 1 && r.Float64() < 0.4 {
			rg.accounts = append(rg.accounts, g.platformAccount(rg.members[1], 0.3))
		}
		rg.listed = r.Float64() < 0.33
		if rg.listed {
			g.watchlistRing(rg)
		}
		w.rings = append(w.rings, rg)
	}
	g.watchlistNoise(scaled(15, s))

	charityNames := []string{"Bright Futures Children's Foundation", "Little Steps Sponsorship", "Hope for Kids Educational Trust",
		"Sunrise Children's Mission", "Bayanihan Child Care", "Lotus Children Fund", "Mekong Kids Education", "Island Schools Support"}
	for i := 0; i < scaled(nCharities, s); i++ {
		cc := countries[pickWeighted(r, []weighted{{"PH", 50}, {"TH", 20}, {"VN", 15}, {"KH", 15}})]
		name := charityNames[i%len(charityNames)]
		if i >= len(charityNames) {
			name += " " + cc.cities[0] + " " + strconv.Itoa(i)
		}
		w.charities = append(w.charities, g.newOrg(truth.RoleCharity, cc, name, "charity"))
	}
	for _, m := range []struct {
		cat, country string
		names        []string
	}{
		{"adult_platform", "CY", []string{"StarCams Ltd", "NightLive Media", "CamVista"}},
		{"adult_platform", "NL", []string{"LiveShow BV"}},
		{"video_chat", "GB", []string{"ChatRoulette Live Ltd", "FlirtCall"}},
		{"vpn", "NL", []string{"PrivaTunnel BV", "SafeRoute VPN"}},
		{"travel", "SG", []string{"AsiaFly Travel", "Island Hopper Tours"}},
		{"dating", "US", []string{"MatchAsia Inc"}},
	} {
		for _, n := range m.names {
			w.merchants[m.cat] = append(w.merchants[m.cat], g.newOrg(truth.RoleMerchant, countries[m.country], n, m.cat))
		}
	}
	for _, code := range []string{"US", "AU", "GB", "CA", "DE", "IT", "JP", "SG", "FR", "NL", "SE", "NO"} {
		for _, n := range []string{"FreshMart", "City Grocers", "MegaStore", "Fuel&Go"} {
			m := g.newOrg(truth.RoleMerchant, countries[code], n+" "+code, "grocery")
			w.merchants["grocery_"+code] = append(w.merchants["grocery_"+code], m)
		}
	}
	for i := 0; i < scaled(nScammers, s); i++ {
		cc := countries[pickWeighted(r, []weighted{{"NG", 40}, {"GH", 25}, {"MY", 15}, {"PH", 20}})]
		w.scammers = append(w.scammers, g.newPerson(truth.RoleRomanceScammer, cc, cc))
	}
	for i := 0; i < scaled(nPerformers, s); i++ {
		cc := countries[pickWeighted(r, []weighted{{"PH", 40}, {"CO", 30}, {"RO", 30}})]
		p := g.newPerson(truth.RoleAdultPerformer, cc, cc)
		p.platforms = append(p.platforms, g.platformAccount(p, 0.2))
		w.performers = append(w.performers, p)
	}
	for i := 0; i < scaled(nSuppliers, s); i++ {
		cc := countries[pickWeighted(r, []weighted{{"VN", 30}, {"TH", 25}, {"CN", 30}, {"IN", 15}})]
		w.suppliers = append(w.suppliers, g.newOrg(truth.RoleSupplier, cc, pick(r, []string{"Golden", "Pacific", "Delta", "Lotus", "Orient", "Sunrise"})+" "+
			pick(r, []string{"Textiles", "Seafood", "Furniture", "Electronics", "Ceramics", "Garments"})+" "+pick(r, []string{"Co. Ltd", "Trading", "Export JSC", "Industries"})+" "+cc.cities[r.IntN(len(cc.cities))]+" "+strconv.Itoa(i+1), "wholesale"))
	}

	// The receiving side's records at every institution that pays them
	// exist before the chunks run, so that chunks only read them.
	var banks, cards []string
	for _, wt := range senderWeights {
		banks = append(banks, wt.v+" Bank")
		cards = append(cards, "CardCo "+wt.v)
	}
	share := func(ps []*person, noise float64, insts ...[]string) {
		for _, p := range ps {
			for _, list := range insts {
				for _, inst := range list {
					g.party(p, inst, false, noise)
				}
			}
			p.shared = true
		}
	}
	for _, rg := range w.rings {
		share(rg.members, 0.6, mtos, wallets, exchanges, banks)
	}
	share(w.charities, 0, mtos, wallets, banks, cards)
	cats := make([]string, 0, len(w.merchants))
	for cat := range w.merchants {
		cats = append(cats, cat)
	}
	sort.Strings(cats) // map order would make the ids differ from run to run
	for _, cat := range cats {
		ms := w.merchants[cat]
		if strings.HasPrefix(cat, "grocery_") {
			share(ms, 0, []string{strings.TrimPrefix(cat, "grocery_") + " Bank"})
		} else {
			share(ms, 0, cards)
		}
	}
	share(w.scammers, 0.5, mtos, banks)
	share(w.performers, 0.3, wallets)
	share(w.suppliers, 0.1, banks)

	// Senders: roles shuffled so that every chunk holds every kind of person.
	add := func(role string, n int) {
		for i := 0; i < scaled(n, s); i++ {
			w.senders = append(w.senders, role)
		}
	}
	add(truth.RoleBuyer, nBuyers)
	add(truth.RoleFamilyRemitter, nRemitters)
	add(truth.RolePartnerSupporter, nPartners)
	add(truth.RoleCharitySponsor, nSponsors)
	add(truth.RoleRomanceVictim, nRomance)
	add(truth.RoleAdultCustomer, nAdult)
	add(truth.RoleImporter, nImporters)
	add(truth.RoleOrdinary, nOrdinary)
	r.Shuffle(len(w.senders), func(i, j int) { w.senders[i], w.senders[j] = w.senders[j], w.senders[i] })
	return w, g.o, nil
}

func (g *gen) newPersonInRing(role string, c *country, ringID string) *person {
	// The truth row is written with the ring id, so build without newPerson's row.
	save := g.o.tPersons
	p := g.newPerson(role, c, c)
	g.o.tPersons = save
	p.ring = ringID
	g.truthPerson(p)
	return p
}
