package normalize

import "testing"

func TestNamesAgree(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Jan Jansson", "JANSSON, Jan", true},
		{"B. Smith", "Brian Smith", true},
		{"Peter Schneider", "P. Schaeider", true},
		{"Kenneth Harris", "Krnneth Harris", true},
		{"Marco Antonio Bianchi", "Marco Bianchi", true}, // a middle name
		{"Matthew Smith", "Matthew Mitchell", false},     // one token far off
		{"Marco Bianchi", "Marco Biagi", false},
		{"Marco Bianchi", "", false},
	}
	for _, tt := range tests {
		if got := NamesAgree(ParseName(tt.a), ParseName(tt.b)); got != tt.want {
			t.Errorf("NamesAgree(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSamePersonLikely(t *testing.T) {
	f := func(name, dob, id, country string) Facts {
		return Facts{Name: ParseName(name), BirthDate: dob, IDNumber: id, Country: country}
	}
	tests := []struct {
		name string
		a, b []Facts
		want bool
	}{
		{"a bare record and a full one", []Facts{f("Amanda Jackson", "", "", "GB")}, []Facts{f("Amanda Jackson", "1970-12-06", "BA4327270", "GB"), f("Jackson Amanda", "", "BA-4327270", "GB")}, true},
		{"birth dates differ", []Facts{f("Marco Bianchi", "1970-01-02", "", "IT")}, []Facts{f("Marco Bianchi", "1981-05-06", "", "IT")}, false},
		{"id numbers differ", []Facts{f("Marco Bianchi", "", "AB-1", "IT")}, []Facts{f("Marco Bianchi", "", "AB 2", "IT")}, false},
		{"id numbers written apart", []Facts{f("Marco Bianchi", "", "AB-1", "IT")}, []Facts{f("Marco Bianchi", "", "ab 1", "IT")}, true},
		{"countries differ", []Facts{f("Marco Bianchi", "", "", "IT")}, []Facts{f("Marco Bianchi", "", "", "CH")}, false},
		{"one record of the other group differs", []Facts{f("Marco Bianchi", "1970-01-02", "", "IT")}, []Facts{f("Marco Bianchi", "", "", "IT"), f("M. Bianchi", "1981-05-06", "", "IT")}, false},
		{"names do not agree", []Facts{f("Matthew Smith", "", "", "US")}, []Facts{f("Matthew Mitchell", "", "", "US")}, false},
	}
	for _, tt := range tests {
		if got := SamePersonLikely(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: SamePersonLikely = %v, want %v", tt.name, got, tt.want)
		}
	}
}
