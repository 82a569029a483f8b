package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/filoproject/filo"
)

// caseVisible: an admin sees every case; anyone else the cases of their
// unit and those they are a member of.
func caseVisible(u *filo.User, c *filo.CaseFile) bool {
	return u.Role == filo.RoleAdmin || c.Unit == u.Unit || slices.Contains(c.Members, u.Username)
}

func (s *Server) visibleCase(ctx context.Context, u *filo.User, id string) (*filo.CaseFile, error) {
	c, err := s.cfg.Store.CaseFile(ctx, id)
	if err != nil {
		return nil, err
	}
	if !caseVisible(u, c) {
		return nil, notVisible("case", id)
	}
	return c, nil
}

func (s *Server) cases(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	page, size, offset, err := paging(r)
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	if status != "" && !filo.ValidStatus(status) {
		return filo.Errorf(filo.EINVALID, "status %q: want new, in_review, referred or dismissed", status)
	}
	items, total, err := s.cfg.Store.CaseFiles(r.Context(), visibility(u), status, offset, size)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pageJSON[filo.CaseFile]{total, page, size, items})
	return nil
}

type createCaseRequest struct {
	Title    string   `json:"title"`
	LeadIDs  []string `json:"lead_ids"`
	Assignee string   `json:"assignee"`
	Unit     string   `json:"unit"`
}

// maxText bounds free text fields: a title, a note, a reason.
const maxText = 10000

func checkText(field, v string, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return filo.Errorf(filo.EINVALID, "%s: required", field)
	}
	if len(v) > maxText {
		return filo.Errorf(filo.EINVALID, "%s: longer than %d bytes", field, maxText)
	}
	return nil
}

func (s *Server) createCase(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	var req createCaseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText("title", req.Title, true); err != nil {
		return err
	}
	if len(req.LeadIDs) == 0 {
		return filo.Errorf(filo.EINVALID, "lead_ids: a case starts from at least one lead")
	}
	unit := u.Unit
	if req.Unit != "" && req.Unit != u.Unit {
		if u.Role != filo.RoleAdmin {
			return filo.Errorf(filo.EFORBID, "cases are opened in your own unit (%s)", u.Unit)
		}
		unit = req.Unit
	}
	for _, id := range uniq(req.LeadIDs) {
		if _, _, err := s.visibleLead(ctx, u, id); err != nil {
			return err
		}
	}
	now := s.cfg.Now()
	c := &filo.CaseFile{Title: req.Title, Unit: unit, Status: filo.StatusNew, Assignee: req.Assignee,
		LeadIDs: uniq(req.LeadIDs), Members: []string{u.Username}, CreatedBy: u.Username, CreatedAt: now, UpdatedAt: now}
	if c.Assignee == "" {
		c.Assignee = u.Username
	}
	if err := s.cfg.Store.CreateCase(ctx, c); err != nil {
		return err
	}
	s.audit(ctx, u.Username, "case_create", "case/"+c.ID, "leads="+strings.Join(c.LeadIDs, ","))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) caseView(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	c, notes, disp, err := s.visibleCaseRecord(ctx, u, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.audit(ctx, u.Username, "view_case", "case/"+c.ID, "")
	writeJSON(w, http.StatusOK, map[string]any{"case": c, "notes": notes, "dispositions": disp})
	return nil
}

// visibleCaseRecord reads a case the user may see with what was written on
// it: its notes and every disposition it was given.
func (s *Server) visibleCaseRecord(ctx context.Context, u *filo.User, id string) (*filo.CaseFile, []filo.Note, []filo.Disposition, error) {
	c, err := s.visibleCase(ctx, u, id)
	if err != nil {
		return nil, nil, nil, err
	}
	notes, err := s.cfg.Store.Notes(ctx, c.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	disp, err := s.cfg.Store.Dispositions(ctx, c.ID)
	return c, notes, disp, err
}

// checkAssignee: an assignee must be a user of the unit the work is in.
func (s *Server) checkAssignee(ctx context.Context, username, unit string) error {
	if username == "" {
		return nil
	}
	a, err := s.cfg.Store.User(ctx, username)
	if filo.ErrorCode(err) == filo.ENOTFOUND || (err == nil && a.Unit != unit) {
		return filo.Errorf(filo.EINVALID, "assignee %q: no such user in unit %s", username, unit)
	}
	return err
}

type updateCaseRequest struct {
	Status   *string `json:"status"`
	Assignee *string `json:"assignee"`
	Title    *string `json:"title"`
}

func (s *Server) updateCase(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	var req updateCaseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := s.visibleCase(ctx, u, r.PathValue("id"))
	if err != nil {
		return err
	}
	var changes []string
	if req.Status != nil {
		switch *req.Status {
		case filo.StatusNew, filo.StatusInReview:
		case filo.StatusReferred, filo.StatusDismissed:
			return filo.Errorf(filo.EINVALID, "status %s is a disposition: set it with a reason (POST /api/cases/%s/disposition)", *req.Status, c.ID)
		default:
			return filo.Errorf(filo.EINVALID, "status %q: want new or in_review", *req.Status)
		}
		changes = append(changes, "status="+*req.Status)
		c.Status = *req.Status
	}
	if req.Assignee != nil {
		if err := s.checkAssignee(ctx, *req.Assignee, c.Unit); err != nil {
			return err
		}
		changes = append(changes, "assignee="+*req.Assignee)
		c.Assignee = *req.Assignee
	}
	if req.Title != nil {
		if err := checkText("title", *req.Title, true); err != nil {
			return err
		}
		changes = append(changes, "title")
		c.Title = *req.Title
	}
	c.UpdatedAt = s.cfg.Now()
	if err := s.cfg.Store.UpdateCase(ctx, c); err != nil {
		return err
	}
	s.audit(ctx, u.Username, "case_update", "case/"+c.ID, strings.Join(changes, " "))
	writeJSON(w, http.StatusOK, c)
	return nil
}

type noteRequest struct {
	Body string `json:"body"`
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	var req noteRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText("body", req.Body, true); err != nil {
		return err
	}
	c, err := s.visibleCase(ctx, u, r.PathValue("id"))
	if err != nil {
		return err
	}
	n := &filo.Note{CaseID: c.ID, Author: u.Username, At: s.cfg.Now(), Body: req.Body}
	if err := s.cfg.Store.AddNote(ctx, n); err != nil {
		return err
	}
	s.audit(ctx, u.Username, "case_note", "case/"+c.ID, fmt.Sprintf("note %d", n.ID))
	writeJSON(w, http.StatusCreated, n)
	return nil
}

type dispositionRequest struct {
	Disposition string `json:"disposition"`
	Reason      string `json:"reason"`
}

func (s *Server) setDisposition(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	var req dispositionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Disposition != filo.StatusReferred && req.Disposition != filo.StatusDismissed {
		return filo.Errorf(filo.EINVALID, "disposition %q: want referred or dismissed", req.Disposition)
	}
	if err := checkText("reason", req.Reason, true); err != nil {
		return err
	}
	c, err := s.visibleCase(ctx, u, r.PathValue("id"))
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	d := &filo.Disposition{CaseID: c.ID, Disposition: req.Disposition, Reason: req.Reason, By: u.Username, At: now}
	if err := s.cfg.Store.AddDisposition(ctx, d); err != nil {
		return err
	}
	c.Status, c.Disposition, c.DispositionReason, c.UpdatedAt = req.Disposition, req.Disposition, req.Reason, now
	if err := s.cfg.Store.UpdateCase(ctx, c); err != nil {
		return err
	}
	s.audit(ctx, u.Username, "case_disposition", "case/"+c.ID, req.Disposition)
	writeJSON(w, http.StatusOK, c)
	return nil
}

type memberRequest struct {
	Username string `json:"username"`
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	var req memberRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := s.visibleCase(ctx, u, r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.cfg.Store.User(ctx, req.Username); err != nil {
		if filo.ErrorCode(err) == filo.ENOTFOUND {
			return filo.Errorf(filo.EINVALID, "username %q: no such user", req.Username)
		}
		return err
	}
	if !slices.Contains(c.Members, req.Username) {
		c.Members = append(c.Members, req.Username)
	}
	c.UpdatedAt = s.cfg.Now()
	if err := s.cfg.Store.UpdateCase(ctx, c); err != nil {
		return err
	}
	s.audit(ctx, u.Username, "case_member", "case/"+c.ID, "added "+req.Username)
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) exportCase(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	ctx := r.Context()
	c, notes, disp, err := s.visibleCaseRecord(ctx, u, r.PathValue("id"))
	if err != nil {
		return err
	}
	leads := []*filo.Lead{}
	for _, id := range c.LeadIDs {
		l, err := s.cfg.Store.Lead(ctx, id)
		if filo.ErrorCode(err) == filo.ENOTFOUND {
			continue // the lead fell below the threshold in a later scan
		}
		if err != nil {
			return err
		}
		leads = append(leads, l)
	}
	// The export is audited before it is sent: a failed audit must not
	// leave an export nobody can account for.
	if err := s.audit(ctx, u.Username, "export_case", "case/"+c.ID, fmt.Sprintf("%d leads", len(leads))); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="filo-case-%s.json"`, c.ID))
	writeJSON(w, http.StatusOK, map[string]any{"case": c, "notes": notes, "dispositions": disp, "leads": leads,
		"exported_by": u.Username, "exported_at": s.cfg.Now().UTC()})
	return nil
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	page, size, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.cfg.Store.AuditEntries(r.Context(), offset, size)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pageJSON[filo.AuditEntry]{total, page, size, items})
	return nil
}
