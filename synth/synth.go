// Package synth builds synthetic case folders with ground truth: family
// remitters, partner supporters, charity sponsors, romance-scam victims,
// adult-site customers, importers and ordinary people, with buyers and
// facilitator rings hidden among them. It is how filo is tested,
// benchmarked and shown. Everything in it is invented: names are drawn
// from common-name lists, IP addresses from shared and documentation
// ranges, emails at example domains, and chat text is neutral.
package synth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/filoproject/filo/truth"
)

// Config says which world to build.
type Config struct {
	Seed  uint64
	Scale float64 // 1: about 45,000 people and 450,000 transactions
	// Workers generating in parallel; 0 for one per CPU. The output is the
	// same for any number.
	Workers int
	// Force allows writing into a folder that is not empty.
	Force bool
	// Progress is told how many chunks of senders are written, of how many.
	Progress func(done, total int)
}

// Stats sums up a world.
type Stats struct {
	Transactions int
	Senders      int
	Dir, Truth   string
}

// sendersPerChunk: a chunk is the unit of parallel work and of ordering.
const sendersPerChunk = 400

var files = []struct {
	name, header string
	pick         func(*chunkOut) []byte
}{
	{"parties.csv", "party_id,kind,full_name,birth_date,country,city,address,phone,email,id_number,institution,merchant_category", func(o *chunkOut) []byte { return o.parties }},
	{"transactions.csv", "tx_id,timestamp,amount,currency,sender_party_id,sender_account_id,receiver_party_id,receiver_account_id,sender_country,receiver_country,channel,institution,reference,control_number", func(o *chunkOut) []byte { return o.txs }},
	{"platform_accounts.csv", "platform,account_id,handle,display_name,email,phone,created_at", func(o *chunkOut) []byte { return o.pas }},
	{"sessions.csv", "platform,session_id,account_id,peer_account_id,kind,start,end,ip", func(o *chunkOut) []byte { return o.sessions }},
	{"subscribers.csv", "ip,start,end,isp,subscriber_name,address,phone,email", func(o *chunkOut) []byte { return o.subs }},
	{"messages.csv", "platform,conversation_id,message_id,timestamp,sender_account_id,text", func(o *chunkOut) []byte { return o.msgs }},
	{"watchlist.csv", "kind,value,country,source,note", func(o *chunkOut) []byte { return o.watch }},
	{"persons.csv", "person_id,role,ring_id", func(o *chunkOut) []byte { return o.tPersons }},
	{"records.csv", "record_type,record_id,person_id", func(o *chunkOut) []byte { return o.tRecords }},
}

// Generate writes a world into dir and its truth beside it (dir.truth).
// Files are written under temporary names and renamed at the end, so a
// failed run leaves no half-written case folder behind.
func Generate(ctx context.Context, dir string, cfg Config) (Stats, error) {
	if cfg.Scale <= 0 {
		return Stats{}, fmt.Errorf("synth: scale must be greater than zero, not %v", cfg.Scale)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	tdir := truth.Dir(dir)
	st := Stats{Dir: dir, Truth: tdir}
	if err := prepare(dir, cfg.Force); err != nil {
		return st, err
	}
	if err := os.MkdirAll(tdir, 0o755); err != nil {
		return st, fmt.Errorf("synth: %w", err)
	}
	w, head, err := buildWorld(cfg)
	if err != nil {
		return st, fmt.Errorf("synth: %w", err)
	}
	outs := make([]*bufio.Writer, len(files))
	fds := make([]*os.File, len(files))
	paths := make([]string, len(files))
	defer func() {
		for i, f := range fds {
			if f != nil {
				f.Close()
				os.Remove(paths[i] + ".tmp")
			}
		}
	}()
	for i, f := range files {
		d := dir
		if f.name == "persons.csv" || f.name == "records.csv" {
			d = tdir
		}
		paths[i] = filepath.Join(d, f.name)
		fd, err := os.Create(paths[i] + ".tmp")
		if err != nil {
			return st, fmt.Errorf("synth: %w", err)
		}
		fds[i] = fd
		outs[i] = bufio.NewWriterSize(fd, 1<<20)
		outs[i].WriteString(f.header + "\n")
	}
	write := func(o *chunkOut) error {
		for i, f := range files {
			if _, err := outs[i].Write(f.pick(o)); err != nil {
				return fmt.Errorf("synth: write %s: %w", f.name, err)
			}
		}
		st.Transactions += o.nTx
		return nil
	}
	if err := write(head); err != nil {
		return st, err
	}

	// Chunks are generated in parallel and written in order; at most
	// 2×workers chunks are in memory at once.
	n := len(w.senders)
	st.Senders = n
	nchunks := (n + sendersPerChunk - 1) / sendersPerChunk
	results := make([]chan *chunkOut, nchunks)
	for i := range results {
		results[i] = make(chan *chunkOut, 1)
	}
	sem := make(chan struct{}, 2*cfg.Workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	jobs := make(chan int)
	for k := 0; k < cfg.Workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				g := newGen(w, c)
				lo, hi := c*sendersPerChunk, min(n, (c+1)*sendersPerChunk)
				for _, role := range w.senders[lo:hi] {
					g.sender(role)
				}
				results[c] <- g.o
			}
		}()
	}
	go func() {
		defer close(jobs)
		for c := 0; c < nchunks; c++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	var werr error
	for c := 0; c < nchunks; c++ {
		var o *chunkOut
		select {
		case o = <-results[c]:
		case <-ctx.Done():
			werr = ctx.Err()
		}
		if werr != nil {
			break
		}
		<-sem
		if werr = write(o); werr != nil {
			break
		}
		if cfg.Progress != nil {
			cfg.Progress(c+1, nchunks)
		}
	}
	// Results are buffered one per chunk, so no worker blocks once the
	// producer stops handing out chunks.
	cancel()
	wg.Wait()
	if werr != nil {
		return st, werr
	}
	for i, f := range files {
		if err := outs[i].Flush(); err != nil {
			return st, fmt.Errorf("synth: write %s: %w", f.name, err)
		}
		if err := fds[i].Close(); err != nil {
			return st, fmt.Errorf("synth: write %s: %w", f.name, err)
		}
		fds[i] = nil
	}
	for i := range files {
		if err := os.Rename(paths[i]+".tmp", paths[i]); err != nil {
			return st, fmt.Errorf("synth: %w", err)
		}
	}
	return st, nil
}

// prepare makes dir, refusing one that holds files unless forced.
func prepare(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("synth: %w", err)
	case len(entries) > 0 && !force:
		return fmt.Errorf("synth: %s is not empty: choose another folder or pass --force to overwrite", dir)
	}
	return nil
}
