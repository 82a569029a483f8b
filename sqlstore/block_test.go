package sqlstore

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"testing"
)

// readBlock decodes every row of a block into the values Scan gives.
func readBlock(data []byte, cols int) ([][]any, error) {
	return readBlockAdded(data, cols, 0)
}

// readBlockAdded is readBlock for a table whose last added columns were
// added by migrations.
func readBlockAdded(data []byte, cols, added int) ([][]any, error) {
	r, err := newBlockReader(data, cols, added)
	if err != nil {
		return nil, err
	}
	var out [][]any
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return out, err
		}
		row := make([]any, cols)
		for i, c := range r.row {
			switch c.tag {
			case cellNull:
				row[i] = nil
			case cellString:
				row[i] = c.s
			case cellInt:
				row[i] = c.i
			case cellFloat:
				row[i] = c.f
			}
		}
		out = append(out, row)
	}
}

func TestBlocksGiveBackWhatWasWritten(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows [][]any
		want [][]any // nil: rows, with ints as int64
	}{
		{"no rows", nil, nil},
		{"every kind of cell", [][]any{{int64(3), 2, "T1", 15.5, nil}, {int64(-1), math.MaxInt64, "", math.Inf(-1), "{}"}},
			[][]any{{int64(3), int64(2), "T1", 15.5, nil}, {int64(-1), int64(math.MaxInt64), "", math.Inf(-1), "{}"}}},
		{"strings with any bytes", [][]any{{"\x00\xff", "é 漢字", string(make([]byte, 300))}}, nil},
		{"negative and large numbers", [][]any{{int64(math.MinInt64), -1, 1 << 40}},
			[][]any{{int64(math.MinInt64), int64(-1), int64(1 << 40)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols := 0
			if len(tc.rows) > 0 {
				cols = len(tc.rows[0])
			}
			if cols == 0 {
				cols = 1
			}
			var w blockWriter
			w.reset(cols)
			for _, r := range tc.rows {
				if err := w.add(r); err != nil {
					t.Fatal(err)
				}
			}
			got, err := readBlock(w.bytes(), cols)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == nil {
				want = tc.rows
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
		})
	}
}

// plain is w's block as version 1 wrote it, uncompressed.
func plain(w *blockWriter) []byte {
	b := []byte{blockPlain}
	b = binary.AppendUvarint(b, uint64(w.cols))
	b = binary.AppendUvarint(b, uint64(w.rows))
	return append(b, w.buf...)
}

// TestAnUncompressedBlockStillReads: stores written before blocks were
// compressed hold version 1 blocks.
func TestAnUncompressedBlockStillReads(t *testing.T) {
	var w blockWriter
	w.reset(3)
	w.add([]any{"abc", int64(5), 1.5})
	w.add([]any{"", nil, int64(-9)})
	old, err := readBlock(plain(&w), 3)
	if err != nil {
		t.Fatal(err)
	}
	now, err := readBlock(w.bytes(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(old, now) || len(now) != 2 {
		t.Errorf("version 1 reads as %v, version 2 as %v", old, now)
	}
	if w.bytes()[0] != blockS2 {
		t.Errorf("blocks are written as version %d, want %d", w.bytes()[0], blockS2)
	}
}

// TestABlockWithoutAddedColumnsReadsThemEmpty: blocks written before a
// migration added columns to a table read them as the columns' default,
// and a block with fewer columns than that, or more than the table has,
// is refused.
func TestABlockWithoutAddedColumnsReadsThemEmpty(t *testing.T) {
	var w blockWriter
	w.reset(2)
	w.add([]any{int64(1), "a"})
	w.add([]any{int64(2), nil})
	got, err := readBlockAdded(w.bytes(), 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{int64(1), "a", "", ""}, {int64(2), nil, "", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, tc := range []struct{ cols, added int }{{4, 1}, {1, 0}, {1, 1}} {
		if _, err := readBlockAdded(w.bytes(), tc.cols, tc.added); !errors.Is(err, errBlockCorrupt) {
			t.Errorf("a block of 2 columns for a table of %d, %d added: err = %v, want it refused", tc.cols, tc.added, err)
		}
	}
}

func TestABlockRowScansAsARowWould(t *testing.T) {
	var w blockWriter
	w.reset(6)
	if err := w.add([]any{int64(7), 12, "x", 2.5, nil, int64(4)}); err != nil {
		t.Fatal(err)
	}
	r, err := newBlockReader(w.bytes(), 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := r.next(); !ok || err != nil {
		t.Fatalf("next = %v, %v", ok, err)
	}
	var sid int64
	var line int
	var s string
	var f, fromInt float64
	var attrs sql.NullString
	if err := r.Scan(&sid, &line, &s, &f, &attrs, &fromInt); err != nil {
		t.Fatal(err)
	}
	if sid != 7 || line != 12 || s != "x" || f != 2.5 || attrs.Valid || fromInt != 4 {
		t.Errorf("scanned %v %v %q %v %+v %v", sid, line, s, f, attrs, fromInt)
	}
	// A NULL where a row would refuse one, and a cell of the wrong type.
	if err := r.Scan(&sid, &line, &s, &f, &s, &fromInt); err == nil {
		t.Error("a NULL scanned into a string without an error")
	}
	if err := r.Scan(&s, &line, &s, &f, &attrs, &fromInt); err == nil {
		t.Error("a number scanned into a string without an error")
	}
	if err := r.Scan(&sid); err == nil {
		t.Error("one destination for six columns without an error")
	}
}

func TestADamagedBlockIsAnErrorNotAPanic(t *testing.T) {
	var w blockWriter
	w.reset(3)
	w.add([]any{"abc", int64(5), 1.5})
	w.add([]any{"defg", int64(-5), nil})
	good := w.bytes()
	for _, tc := range []struct {
		name string
		data []byte
		cols int
	}{
		{"empty", nil, 3},
		{"another version", append([]byte{9}, good[1:]...), 3},
		{"another column count", good, 4},
		{"cut short", good[:len(good)-2], 3},
		{"bytes after the last row", append(append([]byte(nil), good...), 0), 3},
		{"more rows than bytes", []byte{blockPlain, 3, 100, 0, 0, 0}, 3},
		{"unknown cell", []byte{blockPlain, 1, 1, 7}, 1},
		{"string past the end", []byte{blockPlain, 1, 1, cellString, 50, 'a'}, 1},
		{"plain, cut short", plain(&w)[:len(plain(&w))-2], 3},
		{"plain, bytes after the last row", append(plain(&w), 0), 3},
		{"compressed garbage", []byte{blockS2, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3}, 3},
		{"compressed, claiming gigabytes", append([]byte{blockS2}, binary.AppendUvarint(nil, 1<<32)...), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBlock(tc.data, tc.cols)
			if !errors.Is(err, errBlockCorrupt) {
				t.Errorf("err = %v, want errBlockCorrupt", err)
			}
		})
	}
}

// FuzzBlock: any bytes decode to rows or to errBlockCorrupt, never a panic;
// and what decodes, encoded again, reads back as the same block. (Bytes,
// not values, are compared: NaN is not equal to itself, and a number
// written with needless bytes decodes but is not re-encoded so.)
func FuzzBlock(f *testing.F) {
	var w blockWriter
	w.reset(3)
	w.add([]any{"abc", int64(5), 1.5})
	w.add([]any{"", nil, int64(-9)})
	f.Add(w.bytes(), 3)
	f.Add(plain(&w), 3)
	f.Add([]byte{blockPlain, 1, 0}, 1)
	f.Fuzz(func(t *testing.T, data []byte, cols int) {
		if cols < 1 || cols > 64 {
			return
		}
		rows, err := readBlock(data, cols)
		if err != nil {
			if !errors.Is(err, errBlockCorrupt) {
				t.Fatalf("error %v is not errBlockCorrupt", err)
			}
			return
		}
		encode := func(rows [][]any) []byte {
			var w blockWriter
			w.reset(cols)
			for _, r := range rows {
				if err := w.add(r); err != nil {
					t.Fatal(err)
				}
			}
			return w.bytes()
		}
		first := encode(rows)
		again, err := readBlock(first, cols)
		if err != nil {
			t.Fatalf("a re-encoded block does not read: %v", err)
		}
		if second := encode(again); !bytes.Equal(first, second) {
			t.Fatalf("re-encoding is not stable:\n%x\n%x", first, second)
		}
	})
}
