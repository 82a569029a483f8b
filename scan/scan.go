// Package scan is filo's analysis pipeline: entity resolution, a first
// detection pass that finds suspected rings and buyers, online-trace
// analysis around them, and a second detection pass that adds what the
// traces showed. It works on domain values; Run only adds loading from and
// saving to a store through the domain's interfaces.
package scan

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"sync"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/detect"
	"github.com/filoproject/filo/normalize"
	"github.com/filoproject/filo/policy"
	"github.com/filoproject/filo/resolve"
	"github.com/filoproject/filo/traces"
)

// stateName is the StateStore key of entity resolution's model.
const stateName = "resolve"

// AttachConfidence is the attribution confidence from which a platform
// account joins the attributed person's entity (below it, the account stays
// an entity of its own and the attribution is shown only on the lead).
const AttachConfidence = 0.9

// Options tune a scan.
type Options struct {
	Policy *policy.Policy // nil: the built-in default
	Now    func() time.Time
	Log    *slog.Logger
	// Stage is told when each stage starts, for progress on a terminal.
	Stage func(name string)
	// FullResolution resolves every record again instead of only the
	// parties that are new since the last scan.
	FullResolution bool
}

func (o *Options) defaults() error {
	if o.Policy == nil {
		p, err := policy.Default()
		if err != nil {
			return fmt.Errorf("scan: default policy: %w", err)
		}
		o.Policy = p
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Stage == nil {
		o.Stage = func(string) {}
	}
	return nil
}

// Prior is what earlier work left that a scan must respect.
type Prior struct {
	Entities   []filo.Entity    // the last scan's entities: ids stay stable
	Links      []filo.Link      // the last scan's same-person links between parties
	Judgements []filo.Judgement // analysts' word on same / not same person
	State      []byte           // entity resolution's model from the last scan
}

// Analyze runs the whole pipeline on a case in memory. It returns the
// scan result and the entity-resolution state to keep for the next scan.
func Analyze(ctx context.Context, c *filo.Case, prior Prior, opt Options) (*filo.ScanResult, []byte, error) {
	return analyze(ctx, c, prior, opt, stored{})
}

// stored is how Run has a stored case analysed a part at a time. Entity
// resolution reads only the people: a large case's payments and sessions
// are read beside it, into tables that hold a gigabyte and a half (see
// filo.Transactions), on the core it leaves idle. Its links are a
// gigabyte more that scoring and traces need: they
// go to the store while detection runs, on a core it leaves idle much of
// the time, and the result holds none. The parties' entities follow them
// there: written at the end, they and their indexes were most of the
// time a save took.
type stored struct {
	links   func(context.Context, []filo.Link) error // nil: the links stay in the result
	parties func(context.Context, []filo.Entity) error
	rest    func() error // waits for the rest of the case, loading meanwhile; nil: c is whole
}

// analyze is Analyze, with the case and its results as Run has them.
func analyze(ctx context.Context, c *filo.Case, prior Prior, opt Options, st stored) (_ *filo.ScanResult, _ []byte, err error) {
	if err := opt.defaults(); err != nil {
		return nil, nil, err
	}
	now := opt.Now()

	// Phone numbers are parsed once for the whole scan: libphonenumber is
	// slow, and every stage reads the same numbers.
	phones := new(normalize.PhoneCache)

	// Links go to the store, when it takes them, from the moment
	// resolution has its merges: saved on the core that the end of
	// resolution leaves idle, and beside detection after it.
	var related []filo.Link
	ropt := resolve.Options{Full: opt.FullResolution, Log: opt.Log}
	keepRelated := func(links []filo.Link) {
		for _, l := range links {
			if l.Kind == filo.LinkRelated {
				related = append(related, l)
			}
		}
	}
	// finish hands the save the last links and the parties' entities.
	var finish func([]filo.Link, []filo.Entity)
	if sink := st.links; sink != nil {
		sinkCtx, cancel := context.WithCancel(ctx)
		batches, parties := make(chan []filo.Link, 4), make(chan []filo.Entity, 1)
		sunk := make(chan error, 1)
		go func() { sunk <- save(sinkCtx, batches, parties, sink, st.parties, opt.Log) }()
		ropt.Merges = func(links []filo.Link) {
			keepRelated(links)
			batches <- links
		}
		endLinks, endParties := sync.OnceFunc(func() { close(batches) }), sync.OnceFunc(func() { close(parties) })
		finish = func(links []filo.Link, es []filo.Entity) {
			batches <- links
			endLinks()
			parties <- es
			endParties()
		}
		// The sink may not outlive the scan: a failure cancels it, and
		// either way the scan returns only once it is done.
		defer func() {
			if err != nil {
				cancel()
			}
			endLinks()
			endParties()
			if serr := <-sunk; err == nil && serr != nil {
				err = fmt.Errorf("scan: %w", serr)
			}
			cancel()
		}()
	}

	opt.Stage("resolving entities")
	t0 := time.Now()
	res, err := resolve.Resolve(ctx, resolve.Input{
		Parties:          c.Parties,
		PlatformAccounts: c.PlatformAccounts,
		Judgements:       prior.Judgements,
		Previous:         prior.Entities,
		PreviousLinks:    prior.Links,
		State:            prior.State,
		Phones:           phones,
	}, ropt)
	if err != nil {
		return nil, nil, fmt.Errorf("scan: %w", err)
	}
	opt.Log.Info("entities resolved", "records", len(c.Parties)+len(c.PlatformAccounts), "entities", len(res.Entities),
		"incremental", res.Incremental, "new_parties", res.NewRecords, "pairs", res.Pairs, "took", time.Since(t0), "heap_mib", heapLive())

	entityOf := make(map[string]string, len(c.Parties))
	for ref, id := range res.EntityOf {
		if ref.Type == filo.RecordParty {
			entityOf[ref.ID] = id
		}
	}
	// Nothing reads it again, and it holds a few million keys in a large
	// case while scoring and traces need the memory.
	res.EntityOf = nil
	keepRelated(res.Links)
	if finish != nil {
		finish(res.Links, res.Entities)
		res.Links = nil
	}
	if st.rest != nil {
		opt.Stage("loading payments and online traces")
		if err := st.rest(); err != nil {
			return nil, nil, fmt.Errorf("scan: load: %w", err)
		}
	}
	in := detect.Input{Case: c, EntityOf: entityOf, Related: related, Now: now, Phones: phones, Fields: &res.Fields}

	opt.Stage("scoring (first pass)")
	t0 = time.Now()
	prepared, err := detect.Prepare(ctx, in, opt.Policy)
	if err != nil {
		return nil, nil, fmt.Errorf("scan: %w", err)
	}
	first, err := prepared.Score(ctx, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("scan: first pass: %w", err)
	}
	opt.Log.Info("first pass", "leads", len(first.Leads), "rings", len(first.Rings), "took", time.Since(t0), "heap_mib", heapLive())

	opt.Stage("online traces")
	t0 = time.Now()
	tr, err := traces.Analyze(ctx, traces.Input{Case: c, EntityOf: entityOf, Rings: first.Rings, Buyers: buyerEntities(first.Leads), Phones: phones,
		Fields: &res.Fields}, traces.Options{Log: opt.Log})
	if err != nil {
		return nil, nil, fmt.Errorf("scan: %w", err)
	}
	opt.Log.Info("traces", "attributions", len(tr.Attributions), "signals", len(tr.Signals), "took", time.Since(t0), "heap_mib", heapLive())

	opt.Stage("scoring (with traces)")
	t0 = time.Now()
	final, err := prepared.Score(ctx, tr.Signals, tr.Attributions)
	if err != nil {
		return nil, nil, fmt.Errorf("scan: second pass: %w", err)
	}
	opt.Log.Info("second pass", "leads", len(final.Leads), "took", time.Since(t0), "heap_mib", heapLive())
	// The save needs the memory: anything that reads the parties' fields
	// from here on parses them (the prepared world holds a pointer).
	res.Fields = normalize.PartyFields{}

	// The traces can lift a person over the buyer threshold whom the first
	// pass did not hold a candidate: accounts whose evidence fits him and
	// another entity of his go to his lead, as they would have had he been
	// a candidate from the start.
	if n := traces.Retarget(tr, buyerEntities(final.Leads)); n > 0 {
		opt.Log.Info("attributions moved to buyers found with the traces", "moved", n)
	}
	entities := attach(res.Entities, tr.Attributions)
	attributeLeads(final.Leads, tr.Attributions)
	for i := range final.Leads {
		final.Leads[i].ScannedAt = now
	}
	return &filo.ScanResult{
		ScannedAt: now,
		Entities:  entities,
		Links:     res.Links,
		Leads:     final.Leads,
		Policy:    opt.Policy.Name + " " + opt.Policy.Version,
	}, res.State, nil
}

// save writes the links of each batch, then the parties' entities, as
// they come. A chunk of links at a time, each let go once written: the
// explanations, most of the links' memory, are freed while the rest are
// still being written. After a failure it goes on taking batches, so that
// no sender waits for it, and returns the failure when they end.
func save(ctx context.Context, batches <-chan []filo.Link, parties <-chan []filo.Entity,
	links func(context.Context, []filo.Link) error, entities func(context.Context, []filo.Entity) error, log *slog.Logger) error {
	defer func() {
		for range batches {
		}
	}()
	var t0 time.Time // from the first batch: the goroutine starts with the scan
	n := 0
	for batch := range batches {
		if t0.IsZero() {
			t0 = time.Now()
		}
		const chunk = 1 << 16
		for lo := 0; lo < len(batch); lo += chunk {
			part := batch[lo:min(lo+chunk, len(batch))]
			if err := links(ctx, part); err != nil {
				return err
			}
			clear(part)
		}
		n += len(batch)
	}
	took := time.Duration(0)
	if !t0.IsZero() {
		took = time.Since(t0)
	}
	log.Info("links saved", "links", n, "took", took)
	es, ok := <-parties
	if !ok || entities == nil {
		return nil
	}
	t0 = time.Now()
	if err := entities(ctx, es); err != nil {
		return err
	}
	log.Info("entities saved", "entities", len(es), "took", time.Since(t0))
	return nil
}

// heapLive is the heap the last garbage collection found in use, in MiB:
// it tells which stage holds how much, at no cost to the scan.
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() >> 20
}

// buyerEntities lists the entities of the buyer leads.
func buyerEntities(leads []filo.Lead) []string {
	var ids []string
	for _, l := range leads {
		if l.Role == filo.RoleBuyer {
			ids = append(ids, l.EntityIDs...)
		}
	}
	return ids
}

// attach moves a platform account that is an entity of its own into the
// entity it is attributed to with high confidence, so that `filo entities`
// shows the person behind it.
func attach(entities []filo.Entity, atts []filo.Attribution) []filo.Entity {
	best := map[string]filo.Attribution{}
	for _, a := range atts {
		if a.Confidence < AttachConfidence {
			continue
		}
		if b, ok := best[a.PlatformAccount]; !ok || a.Confidence > b.Confidence {
			best[a.PlatformAccount] = a
		}
	}
	if len(best) == 0 {
		return entities
	}
	byID := make(map[string]int, len(entities))
	for i, e := range entities {
		byID[e.ID] = i
	}
	out := make([]filo.Entity, 0, len(entities))
	moved := map[string][]filo.RecordRef{}
	for _, e := range entities {
		if len(e.Records) == 1 && e.Records[0].Type == filo.RecordPlatformAccount {
			if a, ok := best[e.Records[0].ID]; ok && a.EntityID != e.ID {
				if _, exists := byID[a.EntityID]; exists {
					moved[a.EntityID] = append(moved[a.EntityID], e.Records[0])
					continue
				}
			}
		}
		out = append(out, e)
	}
	for i := range out {
		if recs := moved[out[i].ID]; len(recs) > 0 {
			out[i].Records = append(append([]filo.RecordRef(nil), out[i].Records...), recs...)
		}
	}
	return out
}

// attributeLeads fills each lead's platform accounts and attributions from
// the attributions to its entities, where detection has not already.
func attributeLeads(leads []filo.Lead, atts []filo.Attribution) {
	byEntity := map[string][]filo.Attribution{}
	for _, a := range atts {
		byEntity[a.EntityID] = append(byEntity[a.EntityID], a)
	}
	for i := range leads {
		l := &leads[i]
		// A lead may cover several entities (a ring, or one person kept in
		// two by entity resolution): each brings its accounts.
		attributed := map[string]bool{}
		for _, a := range l.Attributions {
			attributed[a.PlatformAccount] = true
		}
		for _, id := range l.EntityIDs {
			for _, a := range byEntity[id] {
				if !attributed[a.PlatformAccount] {
					attributed[a.PlatformAccount] = true
					l.Attributions = append(l.Attributions, a)
				}
			}
		}
		seen := map[string]bool{}
		for _, p := range l.PlatformAccounts {
			seen[p] = true
		}
		for _, a := range l.Attributions {
			if !seen[a.PlatformAccount] {
				seen[a.PlatformAccount] = true
				l.PlatformAccounts = append(l.PlatformAccounts, a.PlatformAccount)
			}
		}
		sort.Strings(l.PlatformAccounts)
	}
}

// Store is what Run needs of a case store.
type Store interface {
	filo.CaseReader
	filo.ResultStore
	filo.JudgementStore
	filo.StateStore
}

// Run loads the stored case, analyses it and stores the result, replacing
// the previous scan's. The result it returns holds no links: they were
// saved as soon as entity resolution made them.
func Run(ctx context.Context, st Store, opt Options) (*filo.ScanResult, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	opt.Stage("loading the people")
	t0 := time.Now()
	c := &filo.Case{}
	// The rest of the case (payments, sessions: most of its rows) loads
	// from the start, beside the people and then beside their
	// resolution: the people's load leaves a core idle, and resolution
	// a third of the time. The two loads fill different parts of c.
	restCtx, cancelRest := context.WithCancel(ctx)
	restDone := make(chan error, 1)
	go func() {
		err := st.LoadCaseParts(restCtx, c, filo.PartActivity)
		if err == nil {
			opt.Log.Info("payments and online traces loaded", "transactions", c.Transactions.Len(), "sessions", c.Sessions.Len(),
				"took", time.Since(t0), "heap_mib", heapLive())
		}
		restDone <- err
	}()
	rest := sync.OnceValue(func() error { return <-restDone })
	// Whatever happens, nothing returns while the load still writes c.
	defer func() {
		cancelRest()
		rest()
	}()
	if err := st.LoadCaseParts(ctx, c, filo.PartPeople); err != nil {
		return nil, fmt.Errorf("scan: load: %w", err)
	}
	if len(c.Parties) == 0 {
		// Nothing to resolve: whether there is a case at all is in the rest.
		if err := rest(); err != nil {
			return nil, fmt.Errorf("scan: load: %w", err)
		}
		if c.Transactions.Len() == 0 {
			return nil, filo.Errorf(filo.EINVALID, "the store holds no case: run `filo ingest` first")
		}
	}
	opt.Log.Info("people loaded", "parties", len(c.Parties), "platform_accounts", len(c.PlatformAccounts), "took", time.Since(t0), "heap_mib", heapLive())
	t0 = time.Now()
	var prior Prior
	var err error
	if prior.Entities, err = st.Entities(ctx); err != nil {
		return nil, fmt.Errorf("scan: previous entities: %w", err)
	}
	// The last scan's links serve only an incremental resolution, and
	// they are as many as the records: --full does without them.
	if !opt.FullResolution {
		if prior.Links, err = st.ModelLinks(ctx); err != nil {
			return nil, fmt.Errorf("scan: previous links: %w", err)
		}
	}
	if prior.Judgements, err = st.Judgements(ctx); err != nil {
		return nil, fmt.Errorf("scan: judgements: %w", err)
	}
	if prior.State, _, err = st.State(ctx, stateName); err != nil {
		return nil, fmt.Errorf("scan: model state: %w", err)
	}
	opt.Log.Info("last scan loaded", "entities", len(prior.Entities), "links", len(prior.Links), "judgements", len(prior.Judgements), "took", time.Since(t0), "heap_mib", heapLive())
	// The scan's results are written from here on, and replace the last
	// scan's (read above) only when Commit has them all.
	w, err := st.BeginScan(ctx)
	if err != nil {
		return nil, fmt.Errorf("scan: save: %w", err)
	}
	defer w.Rollback()
	r, state, err := analyze(ctx, c, prior, opt, stored{links: w.AddLinks, parties: w.AddParties, rest: rest})
	if err != nil {
		return nil, err
	}
	// The case is garbage from here on, gigabytes of it, and the save
	// needs memory of its own outside Go's heap (SQLite's page cache and
	// sorts), which a memory limit does not count: the case's memory goes
	// back to the system before the save asks for more.
	c = nil
	debug.FreeOSMemory()
	opt.Stage("saving")
	t0 = time.Now()
	if err := w.Commit(ctx, r); err != nil {
		return nil, fmt.Errorf("scan: save: %w", err)
	}
	if state != nil {
		if err := st.PutState(ctx, stateName, state); err != nil {
			return nil, fmt.Errorf("scan: save model state: %w", err)
		}
	}
	opt.Log.Info("scan saved", "took", time.Since(t0), "heap_mib", heapLive())
	return r, nil
}
