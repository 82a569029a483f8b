package casefolder_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/casefolder"
	"github.com/filoproject/filo/sqlite"
)

const (
	partiesOK = "party_id,full_name,country\nP1,Ann Example,IT\nP2,Bo Example,PH\n"
	txHead    = "tx_id,timestamp,amount,currency,sender_party_id,receiver_party_id,sender_country,receiver_country,channel\n"
	txOK      = txHead + "T1,2025-01-02T21:00:00+01:00,15.00,EUR,P1,P2,IT,PH,mto\n"
)

// folder writes a case folder of the given files into a temp dir.
func folder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func withTx(body string) map[string]string {
	return map[string]string{"parties.csv": partiesOK, "transactions.csv": body}
}

// Every validation rule, each with a fixture that triggers it and the
// exact message an analyst reads.
func TestValidationRules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"an amount with a decimal comma is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,\"12,5\",EUR,P1,P2,IT,PH,mto\n"),
			`transactions.csv:2:3: amount "12,5": want a decimal number with a dot separator, e.g. 15.50 (no comma: neither as decimal nor as thousands separator)`},
		{"a negative amount is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,-3,EUR,P1,P2,IT,PH,mto\n"),
			`transactions.csv:2:3: amount "-3": want a decimal number with a dot separator, e.g. 15.50`},
		{"a zero amount is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,0.00,EUR,P1,P2,IT,PH,mto\n"),
			`transactions.csv:2:3: amount "0.00": want a number greater than zero`},
		{"an exponent is no decimal", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,1e3,EUR,P1,P2,IT,PH,mto\n"),
			`transactions.csv:2:3: amount "1e3": want a decimal number with a dot separator, e.g. 15.50`},
		{"a timestamp without offset is refused", withTx(txHead + "T1,2025-01-02 21:00:00,15,EUR,P1,P2,IT,PH,mto\n"),
			`transactions.csv:2:2: timestamp "2025-01-02 21:00:00": want a timestamp in RFC 3339 with a UTC offset, e.g. 2025-03-01T21:15:00+01:00`},
		{"an unknown currency is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUX,P1,P2,IT,PH,mto\n"),
			`transactions.csv:2:4: currency "EUX": want an ISO 4217 currency code, e.g. EUR, USD, PHP`},
		{"an unknown country is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR,P1,P2,IT,XX,mto\n"),
			`transactions.csv:2:8: receiver_country "XX": want an ISO 3166-1 alpha-2 country code, e.g. PH, IT, US`},
		{"UK is named for what it is", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR,P1,P2,UK,PH,mto\n"),
			`transactions.csv:2:7: sender_country "UK": want an ISO 3166-1 alpha-2 country code, e.g. PH, IT, US (the United Kingdom is GB)`},
		{"a channel outside the list is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR,P1,P2,IT,PH,pigeon\n"),
			`transactions.csv:2:9: channel "pigeon": want one of bank, card, crypto, ewallet, mto, other`},
		{"a missing required column is named", withTx("tx_id,timestamp,currency,sender_party_id,receiver_party_id\nT1,2025-01-02T21:00:00+01:00,EUR,P1,P2\n"),
			`transactions.csv:1: want a column named "amount" (required in transactions.csv)`},
		{"an empty required cell is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR,,P2,IT,PH,mto\n"),
			`transactions.csv:2:5: sender_party_id "": want a value: sender_party_id is required`},
		{"broken quoting is placed", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR,P1,P2,IT,PH,\"mto\n"),
			`transactions.csv:2: want well-formed quoting: a field with a quote must be quoted as a whole, with inner quotes doubled (at character 54)`},
		{"a row with too few fields is refused", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR\n"),
			`transactions.csv:2: want 9 fields as in the header`},
		{"binary garbage is recognised", withTx(txHead + "T1,2025-01-02T21:00:00+01:00,15,EUR,P1\x00,P2,IT,PH,mto\n"),
			`transactions.csv:2:5: sender_party_id "P1\x00": want UTF-8 text, not binary data`},
		{"an empty file is refused", withTx(""),
			`transactions.csv: want a header row naming the columns (the file is empty)`},
		{"a duplicate transaction id points at itself", withTx(txOK + "T1,2025-01-03T21:00:00+01:00,16.00,EUR,P1,P2,IT,PH,mto\n"),
			`transactions.csv:3:1: tx_id "T1": want a unique id (transaction T1 is already held by case/transactions.csv line 2)`},
		{"a bad birth date is refused", map[string]string{"parties.csv": "party_id,full_name,birth_date\nP1,Ann,1980-13-01\n", "transactions.csv": txHead},
			`parties.csv:2:3: birth_date "1980-13-01": want a date as YYYY-MM-DD, e.g. 1980-04-21`},
		{"an unknown party kind is refused", map[string]string{"parties.csv": "party_id,full_name,kind\nP1,Ann,robot\n", "transactions.csv": txHead},
			`parties.csv:2:3: kind "robot": want one of organization, person`},
		{"a session ending before it starts is refused", map[string]string{"parties.csv": partiesOK, "transactions.csv": txOK,
			"sessions.csv": "platform,account_id,start,end\nvm,u1,2025-01-02T21:00:00Z,2025-01-02T20:00:00Z\n"},
			`sessions.csv:2:4: end "2025-01-02T20:00:00Z": want an end no earlier than the start`},
		{"a watchlist kind outside the list is refused", map[string]string{"parties.csv": partiesOK, "transactions.csv": txOK,
			"watchlist.csv": "kind,value\nshoe_size,44\n"},
			`watchlist.csv:2:1: kind "shoe_size": want one of account, email, iban, id_number, name, phone, platform_account`},
		{"a non-positive rate is refused", map[string]string{"parties.csv": partiesOK, "transactions.csv": txOK,
			"fx_rates.csv": "date,currency,usd_rate\n2025-01-01,EUR,-1\n"},
			`fx_rates.csv:2:3: usd_rate "-1": want a decimal number greater than zero: USD for one unit`},
		{"a folder without transactions.csv is refused", map[string]string{"parties.csv": partiesOK},
			`transactions.csv: want this file: every case folder needs parties.csv and transactions.csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := folder(t, tt.files)
			st := openStore(t)
			_, err := casefolder.Ingest(context.Background(), dir, st, casefolder.Options{})
			if err == nil {
				t.Fatalf("ingest succeeded, want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var ie *filo.InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is no *filo.InputError", err)
			}
			assertEmpty(t, st)
		})
	}
}

func openStore(t *testing.T) filo.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func assertEmpty(t *testing.T, st filo.Store) {
	t.Helper()
	c, err := st.LoadCase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srcs, _ := st.Sources(context.Background())
	if len(c.Parties)+c.Transactions.Len()+len(srcs) != 0 {
		t.Errorf("store not left as before: %d parties, %d transactions, %d sources", len(c.Parties), c.Transactions.Len(), len(srcs))
	}
}

func TestAFailingFileInTheMiddleLeavesNothing(t *testing.T) {
	files := map[string]string{
		"parties.csv":           partiesOK,
		"transactions.csv":      txOK,
		"platform_accounts.csv": "platform,account_id\nvm,u1\n",
		"sessions.csv":          "platform,account_id,start\nvm,u1,yesterday\n", // read after parties and transactions
		"watchlist.csv":         "kind,value\nphone,+63 917 000 0000\n",
	}
	st := openStore(t)
	if _, err := casefolder.Ingest(context.Background(), folder(t, files), st, casefolder.Options{}); err == nil {
		t.Fatal("ingest succeeded on a bad sessions.csv")
	}
	assertEmpty(t, st)
}

func TestReportListsEveryProblemInOnePass(t *testing.T) {
	files := map[string]string{
		"parties.csv":      "party_id,full_name,country\nP1,Ann,ZZ\nP2,Bo,PH\n",
		"transactions.csv": txHead + "T1,2025-01-02,15,EUR,P1,P2,IT,PH,mto\nT2,2025-01-02T21:00:00+01:00,x,EUR,P1,P2,IT,PH,mto\n",
	}
	st := openStore(t)
	_, err := casefolder.Ingest(context.Background(), folder(t, files), st, casefolder.Options{Report: true})
	var all filo.InputErrors
	if !errors.As(err, &all) {
		t.Fatalf("error %v is no list of problems", err)
	}
	var places []string
	for _, e := range all {
		places = append(places, strings.SplitN(e.Error(), " ", 2)[0])
	}
	want := "parties.csv:2:3: transactions.csv:2:2: transactions.csv:3:3:"
	if got := strings.Join(places, " "); got != want {
		t.Errorf("problems at %q, want %q", got, want)
	}
	assertEmpty(t, st)
}

func TestReingestIsANoOpAndACorrectedFileReplaces(t *testing.T) {
	ctx := context.Background()
	dir := folder(t, map[string]string{"parties.csv": partiesOK, "transactions.csv": txOK})
	st := openStore(t)
	for i := 0; i < 2; i++ {
		stats, err := casefolder.Ingest(ctx, dir, st, casefolder.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			for _, f := range stats.Files {
				if !f.Skipped {
					t.Errorf("second ingest read %s again", f.File)
				}
			}
		}
	}
	c, _ := st.LoadCase(ctx)
	if c.Transactions.Len() != 1 || len(c.Parties) != 2 {
		t.Fatalf("after two ingests: %d transactions, %d parties; want 1 and 2", c.Transactions.Len(), len(c.Parties))
	}
	// The corrected file has T1 fixed and T2 added: T1's old version is gone.
	fixed := txHead + "T1,2025-01-02T21:00:00+01:00,25.00,EUR,P1,P2,IT,PH,mto\nT2,2025-01-05T21:00:00+01:00,10.00,EUR,P1,P2,IT,PH,mto\n"
	os.WriteFile(filepath.Join(dir, "transactions.csv"), []byte(fixed), 0o644)
	if _, err := casefolder.Ingest(ctx, dir, st, casefolder.Options{}); err != nil {
		t.Fatal(err)
	}
	c, _ = st.LoadCase(ctx)
	if c.Transactions.Len() != 2 || c.Transactions.At(0).AmountText != "25.00" {
		t.Errorf("corrected file did not replace the old one: %+v", c.Transactions)
	}
}

func TestProvenanceAndConversion(t *testing.T) {
	ctx := context.Background()
	c, err := casefolder.Load(ctx, "testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	tx := c.Transactions.At(0)
	if tx.Prov.File != "transactions.csv" || tx.Prov.Line != 2 {
		t.Errorf("provenance %+v, want transactions.csv line 2", tx.Prov)
	}
	// fx_rates.csv says 1 EUR = 1.05 USD on 2025-03-01.
	if tx.AmountUSD != 15.75 || tx.AmountText != "15.00" || tx.Currency != "EUR" {
		t.Errorf("amount %v %s = %v USD, want 15.00 EUR = 15.75 USD", tx.AmountText, tx.Currency, tx.AmountUSD)
	}
	if got := c.Parties[0].Attrs["customer_segment"]; got != "retail" {
		t.Errorf("unknown column kept as %q, want retail", got)
	}
	if tx.Time.Format("-07:00") != "+01:00" {
		t.Errorf("offset lost: %v", tx.Time)
	}
	// Phones are read once, here: in the party's country where written
	// nationally, and the national number with them.
	for i, want := range [][2]string{{"+390200000001", "0200000001"}, {"+639170000002", "9170000002"}} {
		if p := c.Parties[i]; p.PhoneE164 != want[0] || p.PhoneNSN != want[1] {
			t.Errorf("party %s phone %q read as %q, %q; want %q, %q", p.ID, p.Phone, p.PhoneE164, p.PhoneNSN, want[0], want[1])
		}
	}
	// The same folder through the store comes back the same.
	st := openStore(t)
	if _, err := casefolder.Ingest(ctx, "testdata/good", st, casefolder.Options{}); err != nil {
		t.Fatal(err)
	}
	back, _ := st.LoadCase(ctx)
	if back.Transactions.At(0).Prov != tx.Prov || !back.Transactions.At(0).Time.Equal(tx.Time) || back.Transactions.At(0).Time.Format(timeLayout) != tx.Time.Format(timeLayout) {
		t.Errorf("round trip changed the transaction:\n%+v\n%+v", back.Transactions.At(0), tx)
	}
	if back.Sessions.Len() != 2 || len(back.Messages) != 2 || len(back.Watchlist) != 1 || len(back.Subscribers) != 1 {
		t.Errorf("not every file came back: %d sessions, %d messages, %d watchlist, %d subscribers", back.Sessions.Len(), len(back.Messages), len(back.Watchlist), len(back.Subscribers))
	}
}

const timeLayout = "2006-01-02T15:04:05-07:00"
