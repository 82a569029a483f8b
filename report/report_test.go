package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/filoproject/filo"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func sample() filo.Lead {
	return filo.Lead{ID: "B-E1a2b3c4d5e", Role: filo.RoleBuyer, Rank: 3, Score: 0.9731, EntityIDs: []string{"E1a2b3c4d5e"},
		PartyIDs: []string{"P0.12", "P3.456"}, PlatformAccounts: []string{"vidmeet:u7"},
		Reasons: []filo.Reason{
			{Code: "PAYS_SUSPECTED_RING", Description: "Pays identities of a suspected facilitator ring", Source: "AUSTRAC; AIC-589", Contribution: 3.1,
				Detail:   "4 payments to identities of a suspected facilitator ring (ring score 0.97)",
				Evidence: []filo.Evidence{{Kind: "transaction", RecordID: "T0.41", File: "transactions.csv", Line: 42}, {Kind: "transaction", RecordID: "T0.77", File: "transactions.csv", Line: 78}}},
			{Code: "NIGHT_PAYMENTS", Description: "Corridor payments at night in the sender's time zone", Source: "ECPAT-SE; FATF", Contribution: 0.5,
				Detail: "75% of corridor payments between 20:00 and 02:00 in the sender's time"},
			{Code: "REGULAR_RHYTHM", Description: "Counter-indicator: a regular rhythm", Source: "FINTRAC", Contribution: -0.4, Detail: "4 payments to one recipient every 30 days or so"},
		},
		Attributions: []filo.Attribution{{PlatformAccount: "vidmeet:u7", EntityID: "E1a2b3c4d5e", Confidence: 0.93, Method: "ip_subscriber",
			Chain: []filo.Evidence{{Kind: "session", RecordID: "S9", File: "sessions.csv", Line: 10, Note: "from 100.64.0.9"}}}},
	}
}

// golden compares output with testdata/NAME, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestExplainGolden(t *testing.T) {
	l := sample()
	var b bytes.Buffer
	if err := Explain(&b, &l); err != nil {
		t.Fatal(err)
	}
	golden(t, "explain.txt", b.Bytes())
}

func TestLeadsCSVGolden(t *testing.T) {
	var b bytes.Buffer
	if err := LeadsCSV(&b, []filo.Lead{sample()}); err != nil {
		t.Fatal(err)
	}
	golden(t, "leads.csv", b.Bytes())
}

func TestLeadsJSONGolden(t *testing.T) {
	var b bytes.Buffer
	if err := LeadsJSON(&b, []filo.Lead{sample()}); err != nil {
		t.Fatal(err)
	}
	golden(t, "leads.json", b.Bytes())
}
