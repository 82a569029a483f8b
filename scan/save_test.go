package scan

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

// TestSaveWritesLinksInOrderThenEntities: the links of every batch, in
// the order they came, then the entities.
func TestSaveWritesLinksInOrderThenEntities(t *testing.T) {
	batches, parties := make(chan []filo.Link, 3), make(chan []filo.Entity, 1)
	link := func(id string) filo.Link { return filo.Link{A: filo.RecordRef{Type: filo.RecordParty, ID: id}} }
	batches <- []filo.Link{link("a"), link("b")}
	batches <- []filo.Link{link("c")}
	close(batches)
	parties <- []filo.Entity{{ID: "E1"}}
	close(parties)
	var written []string
	err := save(context.Background(), batches, parties,
		func(_ context.Context, ls []filo.Link) error {
			for _, l := range ls {
				written = append(written, l.A.ID)
			}
			return nil
		},
		func(_ context.Context, es []filo.Entity) error {
			written = append(written, es[0].ID)
			return nil
		}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c", "E1"}; !slices.Equal(written, want) {
		t.Errorf("written %v, want %v", written, want)
	}
}

// TestSaveTakesEveryBatchAfterAFailure: a failed write must not leave
// resolution waiting to hand over its next batch; the failure is told
// once the batches end, and no entity is written after it.
func TestSaveTakesEveryBatchAfterAFailure(t *testing.T) {
	batches, parties := make(chan []filo.Link), make(chan []filo.Entity, 1) // unbuffered: a send waits for save
	boom := errors.New("disk full")
	writes := 0
	done := make(chan error, 1)
	go func() {
		done <- save(context.Background(), batches, parties,
			func(context.Context, []filo.Link) error { writes++; return boom },
			func(context.Context, []filo.Entity) error { t.Error("entities written after a failure"); return nil },
			slog.New(slog.DiscardHandler))
	}()
	for i := range 3 {
		select {
		case batches <- []filo.Link{{}}:
		case <-time.After(10 * time.Second):
			t.Fatalf("batch %d waited for save ten seconds", i)
		}
	}
	close(batches)
	parties <- []filo.Entity{{ID: "E1"}}
	close(parties)
	if err := <-done; !errors.Is(err, boom) {
		t.Errorf("save returned %v, want the write's failure", err)
	}
	if writes != 1 {
		t.Errorf("%d writes, want none after the first failed", writes)
	}
}
