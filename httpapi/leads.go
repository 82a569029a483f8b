package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/filoproject/filo"
)

// visibility is what a user may see: an admin every unit; a supervisor
// their unit's leads and the unassigned ones (they triage them); analysts
// and viewers their unit's leads only.
func visibility(u *filo.User) filo.Visibility {
	return filo.Visibility{
		All:           u.Role == filo.RoleAdmin,
		Unit:          u.Unit,
		Username:      u.Username,
		SeeUnassigned: u.Role == filo.RoleSupervisor,
	}
}

// leadVisible applies visibility to one lead's triage; a lead in a case the
// user is a member of is visible too.
func (s *Server) leadVisible(ctx context.Context, u *filo.User, t filo.Triage) (bool, error) {
	v := visibility(u)
	switch {
	case v.All, t.Unit == u.Unit && t.Unit != "", v.SeeUnassigned && t.Unit == "":
		return true, nil
	case t.CaseID != "":
		c, err := s.cfg.Store.CaseFile(ctx, t.CaseID)
		if filo.ErrorCode(err) == filo.ENOTFOUND {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return slices.Contains(c.Members, u.Username), nil
	}
	return false, nil
}

// notVisible is the answer for what a user may not see: the same as for
// what does not exist, so that probing tells nothing.
func notVisible(what, id string) error {
	return filo.Errorf(filo.ENOTFOUND, "no %s %s", what, id)
}

type indicatorJSON struct {
	Code        string   `json:"code"`
	Description string   `json:"description"`
	Source      string   `json:"source"`
	Roles       []string `json:"roles"`
}

func (s *Server) indicators(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	out := []indicatorJSON{}
	for _, ind := range s.cfg.Policy.Indicators {
		role := filo.RoleBuyer
		if strings.HasPrefix(ind.Code, "RING_") {
			role = filo.RoleFacilitator
		}
		out = append(out, indicatorJSON{ind.Code, ind.Description, strings.Join(ind.Sources, "; "), []string{role}})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type pageJSON[T any] struct {
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
	Items    []T `json:"items"`
}

func (s *Server) leads(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	page, size, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	lq := filo.LeadQuery{
		Role: q.Get("role"), Indicator: q.Get("indicator"), Country: q.Get("country"), Status: q.Get("status"),
		Assignee: q.Get("assignee"), Text: q.Get("q"), Sort: q.Get("sort"), Offset: offset, Limit: size,
		Visible: visibility(u),
	}
	if lq.Role != "" && lq.Role != filo.RoleBuyer && lq.Role != filo.RoleFacilitator {
		return filo.Errorf(filo.EINVALID, "role %q: want buyer or facilitator", lq.Role)
	}
	if lq.Status != "" && !filo.ValidStatus(lq.Status) {
		return filo.Errorf(filo.EINVALID, "status %q: want new, in_review, referred or dismissed", lq.Status)
	}
	rows, total, err := s.cfg.Store.QueryLeads(r.Context(), lq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pageJSON[filo.LeadRow]{total, page, size, rows})
	return nil
}

// leadJSON is a lead as the UI shows it.
type leadJSON struct {
	ID               string             `json:"id"`
	Role             string             `json:"role"`
	Rank             int                `json:"rank"`
	Score            float64            `json:"score"`
	Name             string             `json:"name"`
	Country          string             `json:"country"`
	EntityIDs        []string           `json:"entity_ids"`
	PartyIDs         []string           `json:"party_ids"`
	PlatformAccounts []string           `json:"platform_accounts"`
	Labels           []string           `json:"labels"`
	Reasons          []filo.Reason      `json:"reasons"`
	Attributions     []filo.Attribution `json:"attributions"`
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// visibleLead loads a lead and its triage if the user may see it.
func (s *Server) visibleLead(ctx context.Context, u *filo.User, id string) (*filo.Lead, filo.Triage, error) {
	l, err := s.cfg.Store.Lead(ctx, id)
	if err != nil {
		return nil, filo.Triage{}, err
	}
	t, err := s.cfg.Store.Triage(ctx, id)
	if err != nil {
		return nil, t, err
	}
	ok, err := s.leadVisible(ctx, u, t)
	if err != nil {
		return nil, t, err
	}
	if !ok {
		return nil, t, notVisible("lead", id)
	}
	return l, t, nil
}

func (s *Server) lead(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	id := r.PathValue("id")
	l, t, err := s.visibleLead(ctx, u, id)
	if err != nil {
		return err
	}
	name, country := "", ""
	if len(l.PartyIDs) > 0 {
		ps, err := s.cfg.Store.Parties(ctx, l.PartyIDs[:1])
		if err != nil {
			return err
		}
		if len(ps) > 0 {
			name, country = ps[0].FullName, ps[0].Country
		}
	}
	s.audit(ctx, u.Username, "view_lead", "lead/"+id, "")
	writeJSON(w, http.StatusOK, map[string]any{
		"lead": leadJSON{l.ID, l.Role, l.Rank, l.Score, name, country, nonNil(l.EntityIDs), nonNil(l.PartyIDs),
			nonNil(l.PlatformAccounts), nonNil(l.Labels), nonNil(l.Reasons), nonNil(l.Attributions)},
		"triage": t,
	})
	return nil
}

type assignRequest struct {
	Unit     string `json:"unit"`
	Assignee string `json:"assignee"`
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	id := r.PathValue("id")
	var req assignRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	_, t, err := s.visibleLead(ctx, u, id)
	if err != nil {
		return err
	}
	if req.Unit == "" {
		req.Unit = u.Unit
	}
	if u.Role != filo.RoleAdmin && req.Unit != u.Unit {
		return filo.Errorf(filo.EFORBID, "a supervisor assigns leads to their own unit (%s) only", u.Unit)
	}
	if err := s.checkAssignee(ctx, req.Assignee, req.Unit); err != nil {
		return err
	}
	t.LeadID, t.Unit, t.Assignee = id, req.Unit, req.Assignee
	if err := s.cfg.Store.SetTriage(ctx, t); err != nil {
		return err
	}
	s.audit(ctx, u.Username, "lead_assign", "lead/"+id, "unit="+t.Unit+" assignee="+t.Assignee)
	writeJSON(w, http.StatusOK, t)
	return nil
}
