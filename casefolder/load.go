package casefolder

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/fx"
)

// Load reads a case folder into memory without any store, with the same
// validation as Ingest (stopping at the first problem). Analysis tests and
// evaluation on synthetic worlds use it.
func Load(ctx context.Context, dir string) (*filo.Case, error) {
	files, err := scanFolder(dir, slog.Default())
	if err != nil {
		return nil, err
	}
	sink := &caseSink{c: &filo.Case{}, ids: map[string]map[string]bool{}}
	var tab *fx.Table
	for _, f := range files {
		if f.name != FileFXRates && tab == nil {
			tab = rateTable(sink.rates)
		}
		r, err := os.Open(f.path)
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		fr, err := newFileReader(ctx, f.name, r, tab, &problems{}, nil)
		if err == nil {
			err = fr.run(ctx, sink)
		}
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	return sink.c, nil
}

// caseSink collects records in memory and refuses duplicate ids as a store
// would.
type caseSink struct {
	c     *filo.Case
	ids   map[string]map[string]bool
	rates []filo.FXRate
}

func (s *caseSink) unique(kind, id string) error {
	if id == "" {
		return nil
	}
	m := s.ids[kind]
	if m == nil {
		m = map[string]bool{}
		s.ids[kind] = m
	}
	if m[id] {
		return filo.Errorf(filo.ECONFLICT, "%s %s appears twice", kind, id)
	}
	m[id] = true
	return nil
}

func (s *caseSink) Party(p *filo.Party) error {
	if err := s.unique("party", p.ID); err != nil {
		return err
	}
	s.c.Parties = append(s.c.Parties, *p)
	return nil
}

func (s *caseSink) Account(a *filo.Account) error {
	if err := s.unique("account", a.ID); err != nil {
		return err
	}
	s.c.Accounts = append(s.c.Accounts, *a)
	return nil
}

func (s *caseSink) Transaction(t *filo.Transaction) error {
	if err := s.unique("transaction", t.ID); err != nil {
		return err
	}
	s.c.Transactions.Append(*t)
	return nil
}

func (s *caseSink) PlatformAccount(p *filo.PlatformAccount) error {
	if err := s.unique("platform account", p.Ref()); err != nil {
		return err
	}
	s.c.PlatformAccounts = append(s.c.PlatformAccounts, *p)
	return nil
}

func (s *caseSink) Session(x *filo.Session) error {
	if err := s.unique("session", x.SessionID); err != nil {
		return err
	}
	s.c.Sessions.Append(*x)
	return nil
}

func (s *caseSink) Subscriber(x *filo.Subscriber) error {
	s.c.Subscribers = append(s.c.Subscribers, *x)
	return nil
}

func (s *caseSink) Message(m *filo.Message) error {
	if err := s.unique("message", m.MessageID); err != nil {
		return err
	}
	s.c.Messages = append(s.c.Messages, *m)
	return nil
}

func (s *caseSink) WatchEntry(w *filo.WatchEntry) error {
	s.c.Watchlist = append(s.c.Watchlist, *w)
	return nil
}

func (s *caseSink) FXRate(r *filo.FXRate) error {
	s.rates = append(s.rates, *r)
	return nil
}
