package httpapi

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/filoproject/filo"
)

// entityVisible: an entity covered by leads is visible when one of those
// leads is; an entity no lead covers (a counterparty) is visible to every
// role, since the network view cannot be read without it. Every view is
// audited either way.
func (s *Server) entityVisible(ctx context.Context, u *filo.User, id string) ([]filo.LeadRow, error) {
	leads, err := s.cfg.Store.LeadsOf(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(leads) == 0 {
		return leads, nil
	}
	for _, l := range leads {
		t := filo.Triage{Status: l.Status, Unit: l.Unit, Assignee: l.Assignee, CaseID: l.CaseID}
		ok, err := s.leadVisible(ctx, u, t)
		if err != nil {
			return nil, err
		}
		if ok {
			return leads, nil
		}
	}
	return nil, notVisible("entity", id)
}

type linkJSON struct {
	Other  string                   `json:"other"`
	Kind   string                   `json:"kind"`
	Weight float64                  `json:"weight"`
	Prob   float64                  `json:"prob"`
	Basis  string                   `json:"basis"`
	Source string                   `json:"source"`
	Fields []filo.FieldContribution `json:"fields"`
}

type recordJSON struct {
	Type        string     `json:"type"`
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Country     string     `json:"country"`
	BirthDate   string     `json:"birth_date"`
	Phone       string     `json:"phone"`
	Email       string     `json:"email"`
	Address     string     `json:"address"`
	IDNumber    string     `json:"id_number"`
	Institution string     `json:"institution"`
	File        string     `json:"file"`
	Line        int        `json:"line"`
	Links       []linkJSON `json:"links"`
}

type accountJSON struct {
	ID          string `json:"id"`
	PartyID     string `json:"party_id"`
	Institution string `json:"institution"`
	Kind        string `json:"kind"`
	Currency    string `json:"currency"`
	IBAN        string `json:"iban"`
}

type platformJSON struct {
	Platform    string            `json:"platform"`
	AccountID   string            `json:"account_id"`
	Handle      string            `json:"handle"`
	DisplayName string            `json:"display_name"`
	Attribution *filo.Attribution `json:"attribution"`
}

type paymentJSON struct {
	ID                  string  `json:"id"`
	TS                  string  `json:"ts"`
	Direction           string  `json:"direction"`
	Amount              float64 `json:"amount"`
	Currency            string  `json:"currency"`
	AmountUSD           float64 `json:"amount_usd"`
	CounterpartyEntity  string  `json:"counterparty_entity"`
	CounterpartyName    string  `json:"counterparty_name"`
	CounterpartyCountry string  `json:"counterparty_country"`
	Channel             string  `json:"channel"`
	Reference           string  `json:"reference"`
	File                string  `json:"file"`
	Line                int     `json:"line"`
}

type sessionJSON struct {
	Platform      string `json:"platform"`
	SessionID     string `json:"session_id"`
	AccountID     string `json:"account_id"`
	PeerAccountID string `json:"peer_account_id"`
	Kind          string `json:"kind"`
	Start         string `json:"start"`
	End           string `json:"end"`
	IP            string `json:"ip"`
	File          string `json:"file"`
	Line          int    `json:"line"`
}

type leadRefJSON struct {
	ID    string  `json:"id"`
	Role  string  `json:"role"`
	Score float64 `json:"score"`
	Rank  int     `json:"rank"`
}

type personJSON struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Country          string         `json:"country"`
	Records          []recordJSON   `json:"records"`
	Accounts         []accountJSON  `json:"accounts"`
	PlatformAccounts []platformJSON `json:"platform_accounts"`
	Payments         []paymentJSON  `json:"payments"`
	Sessions         []sessionJSON  `json:"sessions"`
	Leads            []leadRefJSON  `json:"leads"`
}

// maxTimeline bounds the payments and sessions one person view carries;
// the chart stays readable and the answer small.
const maxTimeline = 2000

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Server) person(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	id := r.PathValue("id")
	leads, err := s.entityVisible(ctx, u, id)
	if err != nil {
		return err
	}
	p, err := s.buildPerson(ctx, id, leads)
	if err != nil {
		return err
	}
	s.audit(ctx, u.Username, "view_person", "entity/"+id, "")
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) buildPerson(ctx context.Context, id string, leads []filo.LeadRow) (*personJSON, error) {
	st := s.cfg.Store
	e, links, err := st.Entity(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &personJSON{ID: id, Records: []recordJSON{}, Accounts: []accountJSON{}, PlatformAccounts: []platformJSON{},
		Payments: []paymentJSON{}, Sessions: []sessionJSON{}, Leads: []leadRefJSON{}}
	var partyIDs, platformRefs []string
	for _, rec := range e.Records {
		if rec.Type == filo.RecordParty {
			partyIDs = append(partyIDs, rec.ID)
		} else {
			platformRefs = append(platformRefs, rec.ID)
		}
	}
	linksOf := map[filo.RecordRef][]linkJSON{}
	for _, l := range links {
		add := func(self, other filo.RecordRef) {
			linksOf[self] = append(linksOf[self], linkJSON{other.String(), l.Kind, l.Weight, l.Prob, l.Basis, l.Source, nonNil(l.Fields)})
		}
		add(l.A, l.B)
		add(l.B, l.A)
	}
	parties, err := st.Parties(ctx, partyIDs)
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		ref := filo.RecordRef{Type: filo.RecordParty, ID: p.ID}
		out.Records = append(out.Records, recordJSON{filo.RecordParty, p.ID, p.FullName, p.Country, p.BirthDate, p.Phone, p.Email,
			p.Address, p.IDNumber, p.Institution, p.Prov.File, p.Prov.Line, nonNil(linksOf[ref])})
		if out.Name == "" {
			out.Name, out.Country = p.FullName, p.Country
		}
	}
	accounts, err := st.AccountsOf(ctx, partyIDs)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		out.Accounts = append(out.Accounts, accountJSON{a.ID, a.PartyID, a.Institution, a.Kind, a.Currency, a.IBAN})
	}

	// Platform accounts: those resolved into the entity and those that
	// online-trace analysis attributed to its leads.
	attribution := map[string]*filo.Attribution{}
	for _, lr := range leads {
		out.Leads = append(out.Leads, leadRefJSON{lr.ID, lr.Role, lr.Score, lr.Rank})
		l, err := st.Lead(ctx, lr.ID)
		if err != nil {
			return nil, err
		}
		for i := range l.Attributions {
			a := &l.Attributions[i]
			if a.EntityID == id && attribution[a.PlatformAccount] == nil {
				attribution[a.PlatformAccount] = a
				platformRefs = append(platformRefs, a.PlatformAccount)
			}
		}
	}
	platformRefs = uniq(platformRefs)
	pas, err := st.PlatformAccountsByRef(ctx, platformRefs)
	if err != nil {
		return nil, err
	}
	for _, pa := range pas {
		ref := pa.Platform + ":" + pa.AccountID
		out.PlatformAccounts = append(out.PlatformAccounts, platformJSON{pa.Platform, pa.AccountID, pa.Handle, pa.DisplayName, attribution[ref]})
		if out.Name == "" {
			out.Name = pa.DisplayName
		}
		recRef := filo.RecordRef{Type: filo.RecordPlatformAccount, ID: ref}
		if l, ok := linksOf[recRef]; ok || slices.Contains(e.Records, recRef) {
			out.Records = append(out.Records, recordJSON{Type: filo.RecordPlatformAccount, ID: ref, Name: pa.DisplayName,
				Email: pa.Email, Phone: pa.Phone, File: pa.Prov.File, Line: pa.Prov.Line, Links: nonNil(l)})
		}
	}

	txs, err := st.TransactionsOf(ctx, partyIDs, maxTimeline)
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, p := range partyIDs {
		mine[p] = true
	}
	var others []string
	for _, t := range txs {
		if mine[t.SenderPartyID] {
			others = append(others, t.ReceiverPartyID)
		} else {
			others = append(others, t.SenderPartyID)
		}
	}
	others = uniq(others)
	ents, err := st.EntitiesOf(ctx, others)
	if err != nil {
		return nil, err
	}
	otherParties, err := st.Parties(ctx, others)
	if err != nil {
		return nil, err
	}
	byID := map[string]filo.Party{}
	for _, p := range otherParties {
		byID[p.ID] = p
	}
	for _, t := range txs {
		dir, other := "in", t.SenderPartyID
		if mine[t.SenderPartyID] {
			dir, other = "out", t.ReceiverPartyID
		}
		op := byID[other]
		out.Payments = append(out.Payments, paymentJSON{t.ID, rfc3339(t.Time), dir, t.Amount, t.Currency, t.AmountUSD,
			ents[other], op.FullName, op.Country, t.Channel, t.Reference, t.Prov.File, t.Prov.Line})
	}
	sessions, err := st.SessionsOf(ctx, platformRefs, maxTimeline)
	if err != nil {
		return nil, err
	}
	for _, x := range sessions {
		out.Sessions = append(out.Sessions, sessionJSON{x.Platform, x.SessionID, x.AccountID, x.PeerAccountID, x.Kind,
			rfc3339(x.Start), rfc3339(x.End), x.IP, x.Prov.File, x.Prov.Line})
	}
	return out, nil
}

func uniq(v []string) []string {
	seen := map[string]bool{}
	out := v[:0:0]
	for _, x := range v {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

type nodeJSON struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Country string  `json:"country"`
	LeadID  string  `json:"lead_id"`
	Role    string  `json:"role"`
	Score   float64 `json:"score"`
	Ring    string  `json:"ring"`
}

type edgeJSON struct {
	Source    string  `json:"source"`
	Target    string  `json:"target"`
	Count     int     `json:"count"`
	AmountUSD float64 `json:"amount_usd"`
	First     string  `json:"first"`
	Last      string  `json:"last"`
}

type networkJSON struct {
	Center string     `json:"center"`
	Nodes  []nodeJSON `json:"nodes"`
	Edges  []edgeJSON `json:"edges"`
}

func (s *Server) network(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	id := r.PathValue("id")
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			return filo.Errorf(filo.EINVALID, "limit %q: want a number from 1 to 5000", v)
		}
		limit = n
	}
	if _, err := s.entityVisible(ctx, u, id); err != nil {
		return err
	}
	net, err := s.buildNetwork(ctx, id, limit)
	if err != nil {
		return err
	}
	s.audit(ctx, u.Username, "view_network", "entity/"+id, "")
	writeJSON(w, http.StatusOK, net)
	return nil
}

// buildNetwork returns the entity, its counterparties (the limit heaviest
// by payment count) and the aggregated payments between them.
func (s *Server) buildNetwork(ctx context.Context, id string, limit int) (*networkJSON, error) {
	st := s.cfg.Store
	flows, err := st.Flows(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := st.Entity(ctx, id); err != nil {
		return nil, err
	}
	weight := map[string]int{}
	for _, f := range flows {
		weight[f.From] += f.Count
		weight[f.To] += f.Count
	}
	others := make([]string, 0, len(weight))
	for e := range weight {
		if e != id {
			others = append(others, e)
		}
	}
	sort.Slice(others, func(i, j int) bool {
		if weight[others[i]] != weight[others[j]] {
			return weight[others[i]] > weight[others[j]]
		}
		return others[i] < others[j]
	})
	if len(others) > limit {
		others = others[:limit]
	}
	keep := map[string]bool{id: true}
	for _, e := range others {
		keep[e] = true
	}
	ids := append([]string{id}, others...)
	out := &networkJSON{Center: id, Nodes: []nodeJSON{}, Edges: []edgeJSON{}}
	for _, f := range flows {
		if keep[f.From] && keep[f.To] {
			out.Edges = append(out.Edges, edgeJSON{f.From, f.To, f.Count, f.AmountUSD, rfc3339(f.First), rfc3339(f.Last)})
		}
	}
	names, err := s.entityNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	leads, err := st.LeadsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	leadOf := map[string]filo.LeadRow{}
	ringOf := map[string]string{}
	for _, l := range leads {
		for _, e := range l.EntityIDs {
			if l.Role == filo.RoleFacilitator && ringOf[e] == "" {
				ringOf[e] = l.ID
			}
			if cur, ok := leadOf[e]; !ok || l.Score > cur.Score {
				leadOf[e] = l
			}
		}
	}
	for _, e := range ids {
		l := leadOf[e]
		out.Nodes = append(out.Nodes, nodeJSON{e, names[e].FullName, names[e].Country, l.ID, l.Role, l.Score, ringOf[e]})
	}
	return out, nil
}

// entityNames gives each entity the name and country of its first party.
func (s *Server) entityNames(ctx context.Context, ids []string) (map[string]filo.Party, error) {
	first, err := s.cfg.Store.FirstParties(ctx, ids)
	if err != nil {
		return nil, err
	}
	pids := make([]string, 0, len(first))
	for _, p := range first {
		pids = append(pids, p)
	}
	ps, err := s.cfg.Store.Parties(ctx, pids)
	if err != nil {
		return nil, err
	}
	byID := map[string]filo.Party{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	out := map[string]filo.Party{}
	for e, p := range first {
		out[e] = byID[p]
	}
	return out, nil
}
