// Package ereval scores entity resolution against ground truth: pairwise
// precision, recall and F1, counted from cluster overlaps so that large
// clusters are never expanded into their n² pairs.
package ereval

import (
	"github.com/filoproject/filo"
	"github.com/filoproject/filo/truth"
)

// Score is pairwise agreement between found and true clusters.
type Score struct {
	Records               int
	TruePairs, FoundPairs int64
	Correct               int64
	Precision, Recall, F1 float64
}

func pairs(n int64) int64 { return n * (n - 1) / 2 }

// Pairwise scores the records of one type (filo.RecordParty or
// filo.RecordPlatformAccount) that the truth knows.
func Pairwise(entities []filo.Entity, t *truth.Truth, recordType string) Score {
	var s Score
	truthSize := map[string]int64{}
	for _, r := range t.Records {
		if r.Type == recordType {
			truthSize[r.PersonID]++
		}
	}
	for _, n := range truthSize {
		s.TruePairs += pairs(n)
	}
	for _, e := range entities {
		inter := map[string]int64{}
		var n int64
		for _, r := range e.Records {
			if r.Type != recordType {
				continue
			}
			p, ok := t.PersonOf[truth.Key(r.Type, r.ID)]
			if !ok {
				continue
			}
			n++
			inter[p]++
		}
		s.Records += int(n)
		s.FoundPairs += pairs(n)
		for _, k := range inter {
			s.Correct += pairs(k)
		}
	}
	if s.FoundPairs > 0 {
		s.Precision = float64(s.Correct) / float64(s.FoundPairs)
	} else {
		s.Precision = 1
	}
	if s.TruePairs > 0 {
		s.Recall = float64(s.Correct) / float64(s.TruePairs)
	} else {
		s.Recall = 1
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}
