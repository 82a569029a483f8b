package audit

import (
	"context"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

// memLog is a log in memory, built the way the store appends.
type memLog struct {
	entries []filo.AuditEntry
	headSeq int64
	head    string
}

func (m *memLog) AuditEntries(_ context.Context, offset, limit int) ([]filo.AuditEntry, int, error) {
	if offset >= len(m.entries) {
		return nil, len(m.entries), nil
	}
	end := len(m.entries)
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return m.entries[offset:end], len(m.entries), nil
}

func (m *memLog) AuditHead(context.Context) (int64, string, error) { return m.headSeq, m.head, nil }

func chain(n int) *memLog {
	m := &memLog{}
	prev := ""
	for i := 1; i <= n; i++ {
		e := filo.AuditEntry{Seq: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), User: "ana", Action: "view_person", Object: "entity/E1", PrevHash: prev}
		e.Hash = e.ChainHash()
		prev = e.Hash
		m.entries = append(m.entries, e)
	}
	m.headSeq, m.head = int64(n), prev
	return m
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(m *memLog)
		ok     bool
	}{
		{"untouched", func(*memLog) {}, true},
		{"an edited detail", func(m *memLog) { m.entries[2].Detail = "x" }, false},
		{"an edited user with its hash recomputed", func(m *memLog) { m.entries[2].User = "bob"; m.entries[2].Hash = m.entries[2].ChainHash() }, false},
		{"a deleted entry", func(m *memLog) { m.entries = append(m.entries[:3], m.entries[4:]...) }, false},
		{"the last entry cut off", func(m *memLog) { m.entries = m.entries[:len(m.entries)-1] }, false},
		{"two entries swapped", func(m *memLog) { m.entries[1], m.entries[2] = m.entries[2], m.entries[1] }, false},
		{"an empty log with no head", func(m *memLog) { *m = memLog{} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := chain(6)
			tt.tamper(m)
			problems, _, err := Verify(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if (len(problems) == 0) != tt.ok {
				t.Errorf("problems %v, want ok=%v", problems, tt.ok)
			}
		})
	}
}
