package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/audit"
	"github.com/filoproject/filo/auth"
	"github.com/filoproject/filo/httpapi"
	"github.com/filoproject/filo/policy"
	"github.com/filoproject/filo/web"
)

func init() {
	register(newServeCmd)
	register(newUserCmd)
	register(newAuditCmd)
}

func newServeCmd(a *app) *cobra.Command {
	var addr, certFile, keyFile, policyFile string
	cmd := &cobra.Command{
		Use:   "serve --db DB [--addr 127.0.0.1:8080]",
		Short: "Serve the investigator workspace: web UI and JSON API",
		Long: `serve runs the workspace in a browser: the lead queue, person and network
views, cases with notes and dispositions. It listens on loopback unless told
otherwise; give --tls-cert and --tls-key to serve HTTPS (cookies are then
marked Secure). Users are local accounts made with 'filo user add'; every
view of a person, every export and every change goes to the hash-chained
audit log ('filo audit verify').

  filo user add --db case.db --username sam --role supervisor --unit north
  filo serve --db case.db                       # http://127.0.0.1:8080
  filo serve --db case.db --addr 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem

The API is described at /api/openapi.yaml.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if (certFile == "") != (keyFile == "") {
				return filo.Errorf(filo.EINVALID, "--tls-cert and --tls-key go together")
			}
			pol, err := policy.Default()
			if policyFile != "" {
				pol, err = policy.Load(policyFile)
			}
			if err != nil {
				return err
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			users, err := st.Users(ctx)
			if err != nil {
				return err
			}
			if len(users) == 0 {
				fmt.Fprintln(a.stderr, "filo: no users yet: add one with 'filo user add --db "+a.db+" --username NAME --role admin --unit UNIT'")
			}
			srv, err := httpapi.New(httpapi.Config{Store: st, Policy: pol, UI: web.Dist(), Log: a.log, Secure: certFile != ""})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return filo.Errorf(filo.EINVALID, "--addr %s: %v", addr, err)
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
				WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
			scheme := "http"
			if certFile != "" {
				scheme = "https"
			}
			fmt.Fprintf(a.stderr, "filo: serving the workspace at %s://%s (Ctrl-C stops)\n", scheme, ln.Addr())
			errc := make(chan error, 1)
			go func() {
				if certFile != "" {
					errc <- hs.ServeTLS(ln, certFile, keyFile)
				} else {
					errc <- hs.Serve(ln)
				}
			}()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
				sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				return nil
			}
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (loopback by default)")
	cmd.Flags().StringVar(&certFile, "tls-cert", "", "PEM certificate file: serve HTTPS")
	cmd.Flags().StringVar(&keyFile, "tls-key", "", "PEM private key file for --tls-cert")
	cmd.Flags().StringVar(&policyFile, "policy", "", "indicator policy YAML (default: the built-in policy)")
	return cmd
}

func newUserCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the workspace's local accounts",
		Long: `user adds, lists and disables the accounts that log in to 'filo serve'.
Roles, each able to do what the ones before it do:
  viewer      reads the leads and cases of their unit
  analyst     opens cases, writes notes, sets dispositions
  supervisor  triages unassigned leads into their unit, adds case members, reads the audit log
  admin       sees every unit

  filo user add --db case.db --username alice --role analyst --unit north
  filo user list --db case.db
  filo user disable --db case.db alice`,
	}
	var username, role, unit string
	var passwordStdin bool
	add := &cobra.Command{
		Use:   "add --username NAME --role ROLE --unit UNIT [--password-stdin]",
		Short: "Add or replace a user (asks for the password, or reads it from stdin)",
		Long: `add creates a user, or replaces one of the same name. The password (at least
12 characters) is read from standard input: the first line. It is stored
only as an argon2id hash.

  printf '%s\n' "$PASSWORD" | filo user add --db case.db --username alice --role analyst --unit north --password-stdin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !validUsername(username) {
				return filo.Errorf(filo.EINVALID, "--username %q: want 1-64 of a-z, 0-9, '.', '-' and '_'", username)
			}
			if filo.RoleRank(role) == 0 {
				return filo.Errorf(filo.EINVALID, "--role %q: want viewer, analyst, supervisor or admin", role)
			}
			if strings.TrimSpace(unit) == "" {
				return filo.Errorf(filo.EINVALID, "--unit: required (the team the user belongs to)")
			}
			if !passwordStdin {
				fmt.Fprint(a.stderr, "password (at least 12 characters; input is echoed, prefer --password-stdin): ")
			}
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if err != nil && line == "" {
				return filo.Errorf(filo.EINVALID, "no password on standard input")
			}
			pw := strings.TrimRight(line, "\r\n")
			hash, err := auth.HashPassword(pw, auth.DefaultParams)
			if err != nil {
				return filo.Errorf(filo.EINVALID, "%v", err)
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			u := &filo.User{Username: username, Role: role, Unit: unit, PasswordHash: hash, CreatedAt: time.Now()}
			if err := st.PutUser(cmd.Context(), u); err != nil {
				return err
			}
			if err := st.AppendAudit(cmd.Context(), &filo.AuditEntry{At: time.Now(), User: "cli", Action: "user_put",
				Object: "user/" + username, Detail: "role=" + role + " unit=" + unit}); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "user %s: %s of unit %s\n", username, role, unit)
			return nil
		},
	}
	add.Flags().StringVar(&username, "username", "", "login name")
	add.Flags().StringVar(&role, "role", "", "viewer, analyst, supervisor or admin")
	add.Flags().StringVar(&unit, "unit", "", "the user's unit (team)")
	add.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input without a prompt")
	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: a.runWithStore(func(cmd *cobra.Command, _ []string, st filo.Store) error {
			users, err := st.Users(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "username\trole\tunit\tdisabled")
			for _, u := range users {
				fmt.Fprintf(a.stdout, "%s\t%s\t%s\t%v\n", u.Username, u.Role, u.Unit, u.Disabled)
			}
			return nil
		}),
	}
	disable := &cobra.Command{
		Use:   "disable USERNAME",
		Short: "Disable a user: their sessions stop working at once",
		Args:  cobra.ExactArgs(1),
		RunE: a.runWithStore(func(cmd *cobra.Command, args []string, st filo.Store) error {
			u, err := st.User(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			u.Disabled = true
			if err := st.PutUser(cmd.Context(), u); err != nil {
				return err
			}
			return st.AppendAudit(cmd.Context(), &filo.AuditEntry{At: time.Now(), User: "cli", Action: "user_disable", Object: "user/" + u.Username})
		}),
	}
	cmd.AddCommand(add, list, disable)
	return cmd
}

func validUsername(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func newAuditCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the workspace's audit log",
		Long: `audit lists the audit log (who saw or changed what, when) and verifies its
hash chain: each entry commits to the one before, and the last entry's hash
is kept beside the log, so an edited, inserted or deleted entry is found.

  filo audit list --db case.db
  filo audit verify --db case.db      # exit status 1 when the log was tampered with`,
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "Print the audit log, oldest first",
		Args:  cobra.NoArgs,
		RunE: a.runWithStore(func(cmd *cobra.Command, _ []string, st filo.Store) error {
			entries, _, err := st.AuditEntries(cmd.Context(), 0, 0)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "seq\tat\tuser\taction\tobject\tdetail")
			for _, e := range entries {
				fmt.Fprintf(a.stdout, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.Format(time.RFC3339), e.User, e.Action, e.Object, e.Detail)
			}
			return nil
		}),
	}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit log's hash chain",
		Args:  cobra.NoArgs,
		RunE: a.runWithStore(func(cmd *cobra.Command, _ []string, st filo.Store) error {
			problems, n, err := audit.Verify(cmd.Context(), st)
			if err != nil {
				return err
			}
			for _, p := range problems {
				fmt.Fprintln(a.stdout, p)
			}
			if len(problems) > 0 {
				return fmt.Errorf("audit log: %d problem(s) in %d entries: it was altered", len(problems), n)
			}
			fmt.Fprintf(a.stdout, "audit log intact: %d entries\n", n)
			return nil
		}),
	}
	cmd.AddCommand(list, verify)
	return cmd
}
