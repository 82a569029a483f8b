// Package truth reads and writes the ground truth that `filo synth` writes
// beside a synthetic case folder (never inside it), and that `filo eval`
// scores against.
//
// A truth folder holds two files:
//
//	persons.csv  person_id,role,ring_id
//	records.csv  record_type,record_id,person_id
//
// role is one of the Role* constants; ring_id is set for every identity of a
// facilitator ring (the facilitator and the relatives whose identities
// receive for it) and empty otherwise. records.csv maps every input record
// (record_type "party" with a party_id, or "platform_account" with
// "platform:account_id") to the real person behind it.
package truth

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Roles of synthetic people.
const (
	RoleBuyer            = "buyer"
	RoleFacilitator      = "facilitator"       // runs a ring
	RoleRingIdentity     = "ring_identity"     // a relative whose identity receives for a ring
	RoleFamilyRemitter   = "family_remitter"   // diaspora sender to relatives
	RoleRelative         = "relative"          // receives family remittances
	RolePartnerSupporter = "partner_supporter" // supports a partner abroad
	RolePartner          = "partner"
	RoleCharitySponsor   = "charity_sponsor"
	RoleCharity          = "charity" // organisation
	RoleRomanceVictim    = "romance_victim"
	RoleRomanceScammer   = "romance_scammer"
	RoleAdultCustomer    = "adult_customer"
	RoleAdultPerformer   = "adult_performer" // an adult cam performer paid directly
	RoleMerchant         = "merchant"        // organisation selling goods or services
	RoleImporter         = "importer"
	RoleSupplier         = "supplier"
	RoleOrdinary         = "ordinary"
)

// Dir returns the truth folder for a case folder: "<dir>.truth" beside it.
func Dir(caseDir string) string {
	return filepath.Clean(caseDir) + ".truth"
}

// Person is one real (synthetic) human or organisation.
type Person struct {
	ID     string
	Role   string
	RingID string
}

// Record maps an input record to its person.
type Record struct {
	Type     string // "party" or "platform_account"
	ID       string
	PersonID string
}

// Truth is a whole truth folder in memory.
type Truth struct {
	Persons map[string]Person // by person id
	Records []Record
	// PersonOf maps "party/<id>" and "platform_account/<platform:id>" to a
	// person id.
	PersonOf map[string]string
}

// Key is the PersonOf key of a record.
func Key(recordType, recordID string) string { return recordType + "/" + recordID }

// Read reads a truth folder.
func Read(dir string) (*Truth, error) {
	t := &Truth{Persons: map[string]Person{}, PersonOf: map[string]string{}}
	err := readCSV(filepath.Join(dir, "persons.csv"), []string{"person_id", "role", "ring_id"}, func(r []string) {
		t.Persons[r[0]] = Person{ID: r[0], Role: r[1], RingID: r[2]}
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(filepath.Join(dir, "records.csv"), []string{"record_type", "record_id", "person_id"}, func(r []string) {
		t.Records = append(t.Records, Record{Type: r[0], ID: r[1], PersonID: r[2]})
		t.PersonOf[Key(r[0], r[1])] = r[2]
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// RingMembers returns, per ring id, the person ids of its identities.
func (t *Truth) RingMembers() map[string][]string {
	m := map[string][]string{}
	for _, p := range t.Persons {
		if p.RingID != "" {
			m[p.RingID] = append(m[p.RingID], p.ID)
		}
	}
	return m
}

func readCSV(path string, want []string, row func([]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("truth %s: header: %w", path, err)
	}
	idx := make([]int, len(want))
	for i, w := range want {
		idx[i] = -1
		for j, h := range head {
			if strings.EqualFold(strings.TrimSpace(h), w) {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return fmt.Errorf("truth %s: missing column %q", path, w)
		}
	}
	out := make([]string, len(want))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("truth %s: %w", path, err)
		}
		for i, j := range idx {
			out[i] = rec[j]
		}
		row(out)
	}
}

// Writer writes a truth folder as synth produces it.
type Writer struct {
	dir              string
	persons, records *os.File
	pw, rw           *csv.Writer
}

// Create makes the truth folder (replacing files of an earlier run).
func Create(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	w := &Writer{dir: dir}
	var err error
	if w.persons, err = os.Create(filepath.Join(dir, "persons.csv")); err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	if w.records, err = os.Create(filepath.Join(dir, "records.csv")); err != nil {
		w.persons.Close()
		return nil, fmt.Errorf("truth: %w", err)
	}
	w.pw, w.rw = csv.NewWriter(w.persons), csv.NewWriter(w.records)
	w.pw.Write([]string{"person_id", "role", "ring_id"})
	w.rw.Write([]string{"record_type", "record_id", "person_id"})
	return w, nil
}

// Person writes one person.
func (w *Writer) Person(p Person) error { return w.pw.Write([]string{p.ID, p.Role, p.RingID}) }

// Record writes one record's person.
func (w *Writer) Record(r Record) error { return w.rw.Write([]string{r.Type, r.ID, r.PersonID}) }

// Close flushes and closes both files.
func (w *Writer) Close() error {
	w.pw.Flush()
	w.rw.Flush()
	var first error
	for _, err := range []error{w.pw.Error(), w.rw.Error(), w.persons.Close(), w.records.Close()} {
		if err != nil && first == nil {
			first = fmt.Errorf("truth %s: %w", w.dir, err)
		}
	}
	return first
}

// Record types, as in the entities contract.
const (
	RecordParty           = "party"
	RecordPlatformAccount = "platform_account"
)
