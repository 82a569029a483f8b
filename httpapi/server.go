// Package httpapi is the investigator workspace over HTTP: a JSON API
// (described by openapi.yaml, served at /api/openapi.yaml) and the embedded
// web UI. Every route but login and the API description needs a session;
// every change needs the session's CSRF token; what a user sees is limited
// by role and unit; every view of a person, export and change is appended
// to the hash-chained audit log.
package httpapi

import (
	"context"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/auth"
	"github.com/filoproject/filo/policy"
)

//go:embed openapi.yaml
var openapiYAML []byte

// Store is what the workspace reads and writes.
type Store interface {
	filo.WorkspaceStore
	filo.PersonReader
	Lead(ctx context.Context, id string) (*filo.Lead, error)
	Entity(ctx context.Context, id string) (*filo.Entity, []filo.Link, error)
}

// Config sets up a Server.
type Config struct {
	Store  Store
	Policy *policy.Policy // for the indicator list; the built-in one when nil
	UI     fs.FS          // the built front end; may be empty
	Log    *slog.Logger
	// Secure marks cookies Secure; set it when serving TLS.
	Secure bool
	// SessionTTL is how long a login lasts; 12 hours (a working day) when 0.
	SessionTTL time.Duration
	Now        func() time.Time
}

// Server serves the workspace.
type Server struct {
	cfg     Config
	limiter *auth.Limiter
	mux     *http.ServeMux
}

const (
	sessionCookie = "filo_session"
	csrfHeader    = "X-CSRF-Token"
)

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("httpapi: no store")
	}
	if cfg.Policy == nil {
		p, err := policy.Default()
		if err != nil {
			return nil, err
		}
		cfg.Policy = p
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg: cfg,
		// Five attempts at once per address and per username, then one a
		// minute: an analyst who mistypes is not locked out, a guesser gets
		// about 1,400 tries a day instead of millions.
		limiter: auth.NewLimiter(time.Minute, 5),
		mux:     http.NewServeMux(),
	}
	s.routes()
	return s, nil
}

// route is one API route: its pattern, the least role it needs (0 for
// public routes) and its handler.
type route struct {
	pattern string
	role    string
	h       func(w http.ResponseWriter, r *http.Request, u *filo.User) error
}

// Routes lists every API route, so that tests can check each one's access
// control.
func (s *Server) Routes() []string {
	var out []string
	for _, rt := range s.table() {
		out = append(out, rt.pattern)
	}
	return out
}

func (s *Server) table() []route {
	return []route{
		{"POST /api/session", "", nil}, // handled by login
		{"DELETE /api/session", filo.RoleViewer, s.logout},
		{"GET /api/me", filo.RoleViewer, s.me},
		{"GET /api/indicators", filo.RoleViewer, s.indicators},
		{"GET /api/leads", filo.RoleViewer, s.leads},
		{"GET /api/leads/{id}", filo.RoleViewer, s.lead},
		{"PUT /api/leads/{id}/assignment", filo.RoleSupervisor, s.assign},
		{"GET /api/entities/{id}", filo.RoleViewer, s.person},
		{"GET /api/entities/{id}/network", filo.RoleViewer, s.network},
		{"GET /api/cases", filo.RoleViewer, s.cases},
		{"POST /api/cases", filo.RoleAnalyst, s.createCase},
		{"GET /api/cases/{id}", filo.RoleViewer, s.caseView},
		{"PATCH /api/cases/{id}", filo.RoleAnalyst, s.updateCase},
		{"POST /api/cases/{id}/notes", filo.RoleAnalyst, s.addNote},
		{"POST /api/cases/{id}/disposition", filo.RoleAnalyst, s.setDisposition},
		{"POST /api/cases/{id}/members", filo.RoleSupervisor, s.addMember},
		{"GET /api/cases/{id}/export", filo.RoleViewer, s.exportCase},
		{"GET /api/audit", filo.RoleSupervisor, s.auditList},
	}
}

func (s *Server) routes() {
	for _, rt := range s.table() {
		if rt.h == nil {
			continue
		}
		s.mux.Handle(rt.pattern, s.guard(rt))
	}
	s.mux.HandleFunc("POST /api/session", s.login)
	s.mux.HandleFunc("GET /api/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openapiYAML)
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, filo.Errorf(filo.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
	})
	s.mux.Handle("/", s.ui())
}

// ServeHTTP adds the headers every answer carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// The UI loads only its own scripts and styles; data never becomes
	// markup, and this policy stops whatever slips through from running.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	if s.cfg.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.mux.ServeHTTP(w, r)
}

// guard checks the session, the CSRF token of changes and the role before
// calling the handler.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			writeError(w, filo.Errorf(filo.EUNAUTH, "log in first"))
			return
		}
		sess, err := s.cfg.Store.AuthSession(ctx, auth.TokenHash(c.Value))
		if err != nil || s.cfg.Now().After(sess.ExpiresAt) {
			writeError(w, filo.Errorf(filo.EUNAUTH, "session expired: log in again"))
			return
		}
		u, err := s.cfg.Store.User(ctx, sess.Username)
		if err != nil || u.Disabled {
			writeError(w, filo.Errorf(filo.EUNAUTH, "account disabled"))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			got := r.Header.Get(csrfHeader)
			if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
				writeError(w, filo.Errorf(filo.EFORBID, "missing or wrong %s header", csrfHeader))
				return
			}
		}
		if filo.RoleRank(u.Role) < filo.RoleRank(rt.role) {
			writeError(w, filo.Errorf(filo.EFORBID, "this needs the %s role; you are %s", rt.role, u.Role))
			return
		}
		if err := rt.h(w, r, u); err != nil {
			if filo.ErrorCode(err) == filo.EINTERNAL {
				s.cfg.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "user", u.Username, "err", err)
			}
			writeError(w, err)
		}
	})
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type meResponse struct {
	Username string `json:"username"`
	Role     string `json:"role"`
	Unit     string `json:"unit"`
	CSRF     string `json:"csrf"`
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req loginRequest
	if err := decode(r, &req); err != nil {
		writeError(w, err)
		return
	}
	now := s.cfg.Now()
	if !s.limiter.Allow(now, "ip:"+clientIP(r), "user:"+req.Username) {
		s.audit(ctx, req.Username, "login_limited", "user/"+req.Username, clientIP(r))
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many login attempts: wait a minute"})
		return
	}
	u, err := s.cfg.Store.User(ctx, req.Username)
	if err == nil && !u.Disabled {
		err = auth.CheckPassword(u.PasswordHash, req.Password)
	} else if err == nil {
		err = errors.New("disabled")
	} else {
		// Spend the same time on unknown users as on wrong passwords, so
		// that timing does not tell which usernames exist.
		auth.CheckPassword(dummyHash, req.Password)
	}
	if err != nil {
		s.audit(ctx, req.Username, "login_failed", "user/"+req.Username, clientIP(r))
		writeError(w, filo.Errorf(filo.EUNAUTH, "wrong username or password"))
		return
	}
	token := auth.NewToken()
	sess := &filo.AuthSession{TokenHash: auth.TokenHash(token), Username: u.Username, CSRF: auth.NewToken(),
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	if err := s.cfg.Store.CreateAuthSession(ctx, sess); err != nil {
		writeError(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.cfg.Secure, Expires: sess.ExpiresAt})
	s.audit(ctx, u.Username, "login", "user/"+u.Username, clientIP(r))
	writeJSON(w, http.StatusOK, meResponse{u.Username, u.Role, u.Unit, sess.CSRF})
}

// dummyHash is checked against when the username is unknown.
var dummyHash = func() string {
	h, _ := auth.HashPassword("not a password of anyone", auth.DefaultParams)
	return h
}()

func (s *Server) logout(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	c, _ := r.Cookie(sessionCookie)
	if err := s.cfg.Store.DeleteAuthSession(r.Context(), auth.TokenHash(c.Value)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.cfg.Secure, MaxAge: -1})
	s.audit(r.Context(), u.Username, "logout", "user/"+u.Username, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, u *filo.User) error {
	c, _ := r.Cookie(sessionCookie)
	sess, err := s.cfg.Store.AuthSession(r.Context(), auth.TokenHash(c.Value))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meResponse{u.Username, u.Role, u.Unit, sess.CSRF})
	return nil
}

// audit appends to the audit log. A failure to audit is logged loudly but
// does not fail a read that already happened.
func (s *Server) audit(ctx context.Context, user, action, object, detail string) error {
	e := &filo.AuditEntry{At: s.cfg.Now(), User: user, Action: action, Object: object, Detail: detail}
	if err := s.cfg.Store.AppendAudit(ctx, e); err != nil {
		s.cfg.Log.Error("audit append failed", "action", action, "object", object, "err", err)
		return err
	}
	return nil
}

// ui serves the embedded front end, or a page that says how to build it.
func (s *Server) ui() http.Handler {
	files := http.FileServerFS(s.cfg.UI)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		if p != "" {
			if f, err := s.cfg.UI.Open(p); err == nil {
				f.Close()
				files.ServeHTTP(w, r)
				return
			}
		}
		index, err := fs.ReadFile(s.cfg.UI, "index.html")
		if err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, "The web UI is not built into this binary. Build it with:\n\n"+
				"  (cd web && npm ci && npm run build) && go build -o filo ./cmd/filo\n\n"+
				"The API answers under /api/ (description: /api/openapi.yaml).\n")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(index)
	})
}

// decode reads a JSON body of at most 1 MiB, refusing unknown fields so that
// a typo in a field name is an error, not a silent no-op.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return filo.Errorf(filo.EINVALID, "request body: %v", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

var statusOf = map[string]int{
	filo.EINVALID:  http.StatusBadRequest,
	filo.ENOTFOUND: http.StatusNotFound,
	filo.ECONFLICT: http.StatusConflict,
	filo.EUNAUTH:   http.StatusUnauthorized,
	filo.EFORBID:   http.StatusForbidden,
}

// writeError answers with the error's status; internal errors keep their
// detail in the log, not in the answer.
func writeError(w http.ResponseWriter, err error) {
	code := filo.ErrorCode(err)
	status, ok := statusOf[code]
	msg := err.Error()
	if !ok {
		status, msg = http.StatusInternalServerError, "internal error: see the server log"
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// paging reads page and page_size (1-based page, at most 500 a page).
func paging(r *http.Request) (page, size, offset int, err error) {
	page, size = 1, 50
	if v := r.URL.Query().Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, 0, filo.Errorf(filo.EINVALID, "page %q: want a number from 1", v)
		}
	}
	if v := r.URL.Query().Get("page_size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 500 {
			return 0, 0, 0, filo.Errorf(filo.EINVALID, "page_size %q: want a number from 1 to 500", v)
		}
	}
	return page, size, (page - 1) * size, nil
}
