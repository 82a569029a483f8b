// Package casefolder reads case folders of interchange format v1 (one CSV
// file per kind of record), validates every cell, converts amounts to USD,
// and either loads the folder into a store in one all-or-nothing
// transaction (Ingest) or into memory (Load).
package casefolder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/fx"
)

// Options tune an ingest.
type Options struct {
	// Report keeps reading after a problem and returns every problem found
	// (up to MaxProblems) as filo.InputErrors; nothing is stored either way.
	Report      bool
	MaxProblems int // in report mode; default 1000
	// Progress is told how many bytes of the folder were read, of how many.
	Progress func(done, total int64)
	Log      *slog.Logger
}

// FileStats is what ingest did with one file.
type FileStats struct {
	File     string
	SHA256   string
	Bytes    int64
	Rows     int
	Skipped  bool // the same content was ingested before
	Duration time.Duration
}

// Stats sums up an ingest.
type Stats struct {
	Folder   string
	Files    []FileStats
	Gaps     int // references to parties not in this folder
	Bytes    int64
	Duration time.Duration
}

// present is one recognised file of a folder.
type present struct {
	name, path, sha string
	size            int64
}

// scanFolder lists the recognised files of dir in ingest order, with their
// hashes, and refuses a folder without the required files.
func scanFolder(dir string, log *slog.Logger) ([]present, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, filo.Errorf(filo.EINVALID, "case folder %s: %v", dir, err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := strings.ToLower(e.Name())
		if _, ok := schemas[name]; ok {
			have[name] = true
			if name != e.Name() {
				have[e.Name()] = true
			}
		} else if strings.HasSuffix(name, ".csv") {
			log.Warn("file ignored: not a file of interchange format v1", "file", e.Name())
		}
	}
	for _, r := range requiredFiles {
		if !have[r] {
			return nil, &filo.InputError{File: r, Want: "this file: every case folder needs parties.csv and transactions.csv"}
		}
	}
	var out []present
	for _, name := range Files {
		if !have[name] {
			continue
		}
		p := filepath.Join(dir, name)
		sha, size, err := hashFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, present{name: name, path: p, sha: sha, size: size})
	}
	return out, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Ingest validates every recognised file of dir and stores its records in
// one transaction of st: after any problem the store is exactly as before.
// A file whose content was ingested before (same folder name, file name
// and SHA-256) is skipped; a changed file replaces what its earlier version
// brought.
func Ingest(ctx context.Context, dir string, st filo.Ingester, opt Options) (Stats, error) {
	start := time.Now()
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.MaxProblems == 0 {
		opt.MaxProblems = 1000
	}
	stats := Stats{Folder: dir}
	files, err := scanFolder(dir, opt.Log)
	if err != nil {
		return stats, err
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	folder := filepath.Base(filepath.Clean(dir))
	probs := &problems{all: opt.Report, max: opt.MaxProblems}
	prog := &progress{total: total, fn: opt.Progress}

	err = st.Ingest(ctx, func(ctx context.Context, tx filo.IngestTx) error {
		stats.Files = stats.Files[:0]
		sink := newStoreSink(ctx, tx)
		defer sink.close()
		parties := map[string]bool{}
		var tab *fx.Table
		ratesChanged := false
		for _, f := range files {
			key := folder + "/" + f.name
			fs := FileStats{File: f.name, SHA256: f.sha, Bytes: f.size}
			old, found, err := tx.SourceState(ctx, key)
			if err != nil {
				return fmt.Errorf("ingest %s: %w", f.name, err)
			}
			// Transactions carry USD amounts: new rates mean converting again.
			unchanged := found && old == f.sha && !(f.name == FileTransactions && ratesChanged)
			if tab == nil && f.name != FileFXRates {
				// fx_rates.csv comes first: the table holds its rates and
				// every rate stored before.
				rates, err := tx.FXRates(ctx)
				if err != nil {
					return fmt.Errorf("ingest: fx rates: %w", err)
				}
				tab = rateTable(rates)
			}
			if unchanged && !probs.all {
				fs.Skipped = true
				prog.add(f.size)
				stats.Files = append(stats.Files, fs)
				if f.name == FileParties {
					// Referential gaps are counted against the parties stored.
					parties = nil
				}
				continue
			}
			if f.name == FileFXRates {
				ratesChanged = true
			}
			if err := tx.ReplaceSource(ctx, filo.Source{Key: key, File: f.name, SHA256: f.sha, IngestedAt: time.Now()}); err != nil {
				return fmt.Errorf("ingest %s: %w", f.name, err)
			}
			sink.key, sink.rows = key, 0
			if len(probs.list) > 0 {
				sink.discard = true // report mode: keep validating, store nothing more
			}
			rf, err := os.Open(f.path)
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			gaps := 0
			fileStart := time.Now()
			err = func() error {
				defer rf.Close()
				fr := io.Reader(rf)
				if prog.fn != nil {
					fr = &countingReader{r: rf, p: prog}
				}
				err := readFileGaps(ctx, f.name, fr, tab, sink, probs, parties, &gaps)
				if len(probs.list) > 0 {
					sink.discard = true
				}
				return err
			}()
			if err != nil {
				return err
			}
			stats.Gaps += gaps
			fs.Rows, fs.Duration = sink.rows, time.Since(fileStart)
			stats.Files = append(stats.Files, fs)
		}
		if len(probs.list) > 0 {
			return probs.list
		}
		return nil
	})
	stats.Bytes, stats.Duration = total, time.Since(start)
	if err != nil {
		if errors.Is(err, errStop) || len(probs.list) > 0 {
			if len(probs.list) == 1 {
				return stats, probs.list[0]
			}
			return stats, probs.list
		}
		return stats, err
	}
	if stats.Gaps > 0 {
		opt.Log.Warn("records refer to parties not in this folder (they may come from a folder ingested earlier)", "references", stats.Gaps)
	}
	return stats, nil
}

// readFileGaps reads one file and reports how many party references it
// could not find in the folder.
func readFileGaps(ctx context.Context, name string, r io.Reader, tab *fx.Table, sink Sink, probs *problems, parties map[string]bool, gaps *int) error {
	fr, err := newFileReader(ctx, name, r, tab, probs, parties)
	if err != nil || fr == nil {
		return err
	}
	err = fr.run(ctx, sink)
	*gaps = fr.gaps
	return err
}

// storeSink puts records into an ingest transaction. Reading and storing
// run on two goroutines joined by a channel, so that parsing one row
// overlaps with inserting the one before (each takes about half the time of
// an ingest, and the machine has two cores). The store only ever sees one
// goroutine at a time: every other use of the transaction happens after a
// Flush, which waits until every record sent before it is stored.
type storeSink struct {
	ctx     context.Context
	tx      filo.IngestTx
	key     string
	rows    int
	discard bool

	ch   chan any   // records, and flush requests
	err  error      // the first store error, set by the storing goroutine
	mu   sync.Mutex // guards err
	done chan struct{}
}

type flushReq struct{ reply chan error }

func newStoreSink(ctx context.Context, tx filo.IngestTx) *storeSink {
	s := &storeSink{ctx: ctx, tx: tx, ch: make(chan any, 4096), done: make(chan struct{})}
	go s.store()
	return s
}

// store is the storing goroutine.
func (s *storeSink) store() {
	defer close(s.done)
	for item := range s.ch {
		if f, ok := item.(flushReq); ok {
			err := s.failed()
			if err == nil {
				err = s.tx.Flush(s.ctx)
				s.fail(err)
			}
			f.reply <- err
			continue
		}
		if s.failed() != nil {
			continue // drain: the ingest is lost anyway
		}
		s.fail(s.put(item))
	}
}

func (s *storeSink) put(item any) error {
	ctx, key := s.ctx, s.key
	switch r := item.(type) {
	case *filo.Party:
		return s.tx.PutParty(ctx, key, r)
	case *filo.Account:
		return s.tx.PutAccount(ctx, key, r)
	case *filo.Transaction:
		return s.tx.PutTransaction(ctx, key, r)
	case *filo.PlatformAccount:
		return s.tx.PutPlatformAccount(ctx, key, r)
	case *filo.Session:
		return s.tx.PutSession(ctx, key, r)
	case *filo.Subscriber:
		return s.tx.PutSubscriber(ctx, key, r)
	case *filo.Message:
		return s.tx.PutMessage(ctx, key, r)
	case *filo.WatchEntry:
		return s.tx.PutWatchEntry(ctx, key, r)
	case *filo.FXRate:
		return s.tx.PutFXRate(ctx, key, r)
	}
	return fmt.Errorf("casefolder: cannot store %T", item)
}

func (s *storeSink) fail(err error) {
	if err == nil {
		return
	}
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

func (s *storeSink) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// close stops the storing goroutine.
func (s *storeSink) close() {
	close(s.ch)
	<-s.done
}

// send hands a record over, or returns the error that stopped storing.
func (s *storeSink) send(r any) error {
	if s.discard {
		return nil
	}
	if err := s.failed(); err != nil {
		return err
	}
	s.rows++
	s.ch <- r
	return nil
}

// Flush waits until every record sent is stored, at the end of a file.
func (s *storeSink) Flush() error {
	if s.discard {
		return nil
	}
	reply := make(chan error, 1)
	s.ch <- flushReq{reply}
	return <-reply
}

func (s *storeSink) Party(p *filo.Party) error                     { return s.send(p) }
func (s *storeSink) Account(a *filo.Account) error                 { return s.send(a) }
func (s *storeSink) Transaction(t *filo.Transaction) error         { return s.send(t) }
func (s *storeSink) PlatformAccount(p *filo.PlatformAccount) error { return s.send(p) }
func (s *storeSink) Session(x *filo.Session) error                 { return s.send(x) }
func (s *storeSink) Subscriber(x *filo.Subscriber) error           { return s.send(x) }
func (s *storeSink) Message(m *filo.Message) error                 { return s.send(m) }
func (s *storeSink) WatchEntry(w *filo.WatchEntry) error           { return s.send(w) }
func (s *storeSink) FXRate(r *filo.FXRate) error                   { return s.send(r) }

// progress reports bytes read, at most every 64 KiB.
type progress struct {
	done, total, last int64
	fn                func(done, total int64)
}

func (p *progress) add(n int64) {
	p.done += n
	if p.fn != nil && (p.done-p.last >= 64<<10 || p.done == p.total) {
		p.last = p.done
		p.fn(p.done, p.total)
	}
}

type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.add(int64(n))
	return n, err
}

func parseDay(s string) (int32, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, err
	}
	return fx.Day(t), nil
}
