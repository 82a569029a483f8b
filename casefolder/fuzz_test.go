package casefolder_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/casefolder"
)

// nopSink takes every record.
type nopSink struct{}

func (nopSink) Party(*filo.Party) error                     { return nil }
func (nopSink) Account(*filo.Account) error                 { return nil }
func (nopSink) Transaction(*filo.Transaction) error         { return nil }
func (nopSink) PlatformAccount(*filo.PlatformAccount) error { return nil }
func (nopSink) Session(*filo.Session) error                 { return nil }
func (nopSink) Subscriber(*filo.Subscriber) error           { return nil }
func (nopSink) Message(*filo.Message) error                 { return nil }
func (nopSink) WatchEntry(*filo.WatchEntry) error           { return nil }
func (nopSink) FXRate(*filo.FXRate) error                   { return nil }

// fuzzReader checks that a reader never panics and that any error it
// returns is placed in the file.
func fuzzReader(f *testing.F, name string) {
	if b, err := os.ReadFile(filepath.Join("testdata", "good", name)); err == nil {
		f.Add(b)
	}
	f.Add([]byte(""))
	f.Add([]byte("\xef\xbb\xbfa,b\n\"x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := casefolder.ReadFile(context.Background(), name, bytes.NewReader(data), nil, nopSink{})
		if err == nil {
			return
		}
		if ie, ok := err.(*filo.InputError); ok && ie.File != name {
			t.Errorf("error names %q, want %q", ie.File, name)
		}
	})
}

func FuzzParties(f *testing.F)          { fuzzReader(f, casefolder.FileParties) }
func FuzzAccounts(f *testing.F)         { fuzzReader(f, casefolder.FileAccounts) }
func FuzzTransactions(f *testing.F)     { fuzzReader(f, casefolder.FileTransactions) }
func FuzzPlatformAccounts(f *testing.F) { fuzzReader(f, casefolder.FilePlatformAccounts) }
func FuzzSessions(f *testing.F)         { fuzzReader(f, casefolder.FileSessions) }
func FuzzSubscribers(f *testing.F)      { fuzzReader(f, casefolder.FileSubscribers) }
func FuzzMessages(f *testing.F)         { fuzzReader(f, casefolder.FileMessages) }
func FuzzWatchlist(f *testing.F)        { fuzzReader(f, casefolder.FileWatchlist) }
func FuzzFXRates(f *testing.F)          { fuzzReader(f, casefolder.FileFXRates) }

func BenchmarkReadTransactions(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("tx_id,timestamp,amount,currency,sender_party_id,receiver_party_id,sender_country,receiver_country,channel,institution,reference,control_number\n")
	for i := 0; i < 100000; i++ {
		buf.WriteString("T")
		buf.WriteString(string(rune('0' + i%10)))
		buf.WriteString(",2025-01-02T21:00:00+01:00,15.00,EUR,P1,P2,IT,PH,mto,RemitNow,family support,4821937710\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := casefolder.ReadFile(context.Background(), casefolder.FileTransactions, bytes.NewReader(data), nil, nopSink{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "rows/s")
}
