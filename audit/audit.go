// Package audit checks the workspace's hash-chained audit log: every entry
// commits to the one before it, and the store keeps the last entry's hash
// beside the log, so that editing, inserting or deleting any entry, the last
// ones included, is detected.
package audit

import (
	"context"
	"fmt"

	"github.com/filoproject/filo"
)

// Log is what Verify reads.
type Log interface {
	AuditEntries(ctx context.Context, offset, limit int) ([]filo.AuditEntry, int, error)
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
}

// Problem is one break in the chain.
type Problem struct {
	Seq    int64
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("entry %d: %s", p.Seq, p.Reason) }

// Verify walks the whole log and returns every break it finds, and the
// number of entries read. An empty result means the log is intact.
func Verify(ctx context.Context, l Log) ([]Problem, int64, error) {
	const page = 10000
	var problems []Problem
	var prev string
	var want int64 = 1
	var n int64
	for off := 0; ; off += page {
		entries, _, err := l.AuditEntries(ctx, off, page)
		if err != nil {
			return nil, n, err
		}
		for i := range entries {
			e := &entries[i]
			n++
			if e.Seq != want {
				problems = append(problems, Problem{e.Seq, fmt.Sprintf("sequence jumps from %d to %d: entries missing", want-1, e.Seq)})
			}
			if e.PrevHash != prev {
				problems = append(problems, Problem{e.Seq, "does not commit to the entry before it"})
			}
			if e.ChainHash() != e.Hash {
				problems = append(problems, Problem{e.Seq, "content does not match its hash: edited"})
			}
			prev, want = e.Hash, e.Seq+1
		}
		if len(entries) < page {
			break
		}
	}
	seq, hash, err := l.AuditHead(ctx)
	if err != nil {
		return nil, n, err
	}
	if seq != want-1 || hash != prev {
		problems = append(problems, Problem{seq, fmt.Sprintf("the recorded head is entry %d but the log ends at entry %d: entries cut off or head altered", seq, want-1)})
	}
	return problems, n, nil
}
