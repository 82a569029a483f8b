package traces

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

func TestIPv4ReadsOnlyTheOneWayOfWritingAnAddress(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"192.0.2.1", 0xc0000201, true},
		{"0.0.0.0", 0, true},
		{"255.255.255.255", 0xffffffff, true},
		{"100.64.16.1", 0x64401001, true},
		{"192.0.2.01", 0, false}, // "192.0.2.1" is another string for the same number
		{"192.0.02.1", 0, false},
		{"256.0.0.1", 0, false},
		{"1.2.3", 0, false},
		{"1.2.3.4.5", 0, false},
		{"1.2..3", 0, false},
		{".1.2.3", 0, false},
		{"1.2.3.", 0, false},
		{" 1.2.3.4", 0, false},
		{"1.2.3.4 ", 0, false},
		{"2001:db8::1", 0, false},
		{"::ffff:1.2.3.4", 0, false},
		{"", 0, false},
		{"1234.1.1.1", 0, false},
	}
	for _, tt := range tests {
		got, ok := ipv4(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ipv4(%q) = %#x, %v; want %#x, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzIPv4: ipv4 reads a string exactly when net/netip reads it as an IPv4
// address and writes it back the same, and to the same number; so two
// strings it reads are equal exactly when their numbers are, as the
// lookup of sessions' addresses needs.
func FuzzIPv4(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "0.0.0.0", "255.255.255.255", "01.2.3.4", "1.2.3", "::1", "1.2.3.4%eth0", "300.1.1.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ipv4(s)
		addr, err := netip.ParseAddr(s)
		want := err == nil && addr.Is4() && addr.String() == s
		if ok != want {
			t.Fatalf("ipv4(%q) reads it: %v; netip: %v", s, ok, want)
		}
		if ok {
			b := addr.As4()
			if n := binary.BigEndian.Uint32(b[:]); got != n {
				t.Fatalf("ipv4(%q) = %#x, want %#x", s, got, n)
			}
		}
	})
}
