package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

// rowReader is a store that can also read its case row by row (sqlstore
// reads it from column blocks where it has them).
type rowReader interface {
	LoadCaseFromRows(ctx context.Context) (*filo.Case, error)
}

// testBlocksMatchRows: a case read from column blocks is the case read row
// by row, record for record and in the same order, across several sources,
// blocks that fill up, a source replaced by a new version, and values that
// are easy to get wrong (no attributes, empty times, offsets, odd bytes).
func testBlocksMatchRows(t *testing.T, st filo.Store) {
	rr, ok := st.(rowReader)
	if !ok {
		t.Skip("this store reads its case one way only")
	}
	put := func(key, version string, n int) {
		t.Helper()
		err := st.Ingest(ctx, func(ctx context.Context, it filo.IngestTx) error {
			if err := it.ReplaceSource(ctx, filo.Source{Key: key, File: key + ".csv", SHA256: version}); err != nil {
				return err
			}
			for i := range n {
				at := time.Date(2025, 1, 1+i%28, i%24, 0, i%60, i*1000, time.FixedZone("", (i%5-2)*1800))
				pv := filo.Provenance{Line: i + 2}
				var attrs filo.Attrs
				if i%3 == 0 {
					attrs = filo.Attrs{"note": fmt.Sprintf("x\x00é%d", i), "k": ""}
				}
				// Ids that sort differently as text than as inserted.
				id := fmt.Sprintf("%s-%s-%d", key, version, n-i)
				for _, err := range []error{
					it.PutParty(ctx, key, &filo.Party{ID: "P" + id, Kind: "person", FullName: "Name " + id, Country: "IT", Attrs: attrs, Prov: pv}),
					it.PutAccount(ctx, key, &filo.Account{ID: "A" + id, PartyID: "P" + id, Prov: pv}),
					it.PutTransaction(ctx, key, &filo.Transaction{ID: "T" + id, Time: at, Amount: float64(i) / 7, AmountText: "1.5",
						Currency: "EUR", AmountUSD: float64(i), SenderPartyID: "P" + id, ReceiverPartyID: "P0", Attrs: attrs, Prov: pv}),
					it.PutPlatformAccount(ctx, key, &filo.PlatformAccount{Platform: []string{"vm", "ch"}[i%2], AccountID: "u" + id, Prov: pv}),
					it.PutSession(ctx, key, &filo.Session{Platform: "vm", SessionID: "S" + id, AccountID: "u" + id, Start: at, End: at.Add(time.Duration(i) * time.Minute), IP: "10.0.0.1", Prov: pv}),
					it.PutSubscriber(ctx, key, &filo.Subscriber{IP: "10.0.0.1", Start: at, Prov: pv}),
					it.PutMessage(ctx, key, &filo.Message{Platform: "vm", MessageID: "M" + id, Time: at, Text: "hi", Prov: pv}),
					it.PutWatchEntry(ctx, key, &filo.WatchEntry{Kind: "phone", Value: id, Prov: pv}),
				} {
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("a", "v1", 5000) // more rows than one block holds
	put("b", "v1", 3)
	put("a", "v2", 40) // replaces a's rows and blocks
	put("c", "v1", 0)

	blocks, err := st.LoadCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := rr.LoadCaseFromRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks.Parties) != 43 || blocks.Transactions.Len() != 43 {
		t.Fatalf("%d parties and %d transactions, want 43 of each: a's old version must be gone", len(blocks.Parties), blocks.Transactions.Len())
	}
	sameCase(t, "from blocks", blocks, "from rows", rows)

	// A case read a part at a time, people first, is the case read whole.
	parts := &filo.Case{}
	if err := st.LoadCaseParts(ctx, parts, filo.PartPeople); err != nil {
		t.Fatal(err)
	}
	if len(parts.Parties) != 43 || len(parts.PlatformAccounts) != 43 || parts.Transactions.Len()+parts.Sessions.Len()+len(parts.Accounts) != 0 {
		t.Errorf("the people part: %d parties, %d platform accounts, %d transactions, %d sessions, %d accounts; want 43, 43 and none of the rest",
			len(parts.Parties), len(parts.PlatformAccounts), parts.Transactions.Len(), parts.Sessions.Len(), len(parts.Accounts))
	}
	if err := st.LoadCaseParts(ctx, parts, filo.PartActivity); err != nil {
		t.Fatal(err)
	}
	sameCase(t, "read in parts", parts, "read whole", blocks)
}

// sameCase reports every kind of record on which two cases differ.
func sameCase(t *testing.T, gotName string, got *filo.Case, wantName string, want *filo.Case) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"parties", got.Parties, want.Parties},
		{"accounts", got.Accounts, want.Accounts},
		{"transactions", got.Transactions.Slice(), want.Transactions.Slice()},
		{"platform accounts", got.PlatformAccounts, want.PlatformAccounts},
		{"sessions", got.Sessions.Slice(), want.Sessions.Slice()},
		{"subscribers", got.Subscribers, want.Subscribers},
		{"messages", got.Messages, want.Messages},
		{"watchlist", got.Watchlist, want.Watchlist},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s %s differ from %s:\n %s %+v\n %s %+v", c.name, gotName, wantName, gotName, c.got, wantName, c.want)
		}
	}
}
