package synth

// country is what the world needs of a country: its money, its clock, how
// its phone numbers and names look.
type country struct {
	code       string
	currency   string
	zone       string // IANA zone of its main population
	dial       string // country calling code
	natLen     int    // digits of a national mobile number after the trunk prefix
	mobile     string // leading digits of mobile numbers
	cities     []string
	streets    []string
	names      *namePool
	minorUnits bool // amounts carry cents
}

// Weighted choices: sender countries roughly as AMLC reports the sources of
// suspicious inward remittances to the Philippines (US about half, then
// Australia, the UK, Canada, Germany, Japan, Singapore, France, the
// Netherlands), with Italy and Sweden for the European cases.
var senderWeights = []weighted{
	{"US", 40}, {"AU", 8}, {"GB", 7}, {"CA", 6}, {"DE", 6}, {"IT", 6}, {"JP", 4},
	{"SG", 3}, {"FR", 4}, {"NL", 3}, {"SE", 3}, {"NO", 1},
}

// Risk corridors, the Philippines the largest.
var corridorWeights = []weighted{{"PH", 60}, {"VN", 14}, {"TH", 16}, {"KH", 5}, {"ID", 5}}

// Legitimate destinations outside the corridors.
var otherDestWeights = []weighted{{"IN", 25}, {"MX", 25}, {"NG", 10}, {"PK", 10}, {"PL", 10}, {"RO", 8}, {"CN", 7}, {"CO", 5}}

type weighted struct {
	v string
	w float64
}

var countries = map[string]*country{
	"US": {code: "US", currency: "USD", zone: "America/New_York", dial: "1", natLen: 10, mobile: "555", minorUnits: true,
		cities:  []string{"New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "San Diego", "Seattle", "Denver", "Boston", "Atlanta"},
		streets: []string{"Main St", "Oak Ave", "Maple St", "Cedar Rd", "Pine St", "Elm St", "Washington Ave", "Lake Dr"}},
	"AU": {code: "AU", currency: "AUD", zone: "Australia/Sydney", dial: "61", natLen: 9, mobile: "4", minorUnits: true,
		cities:  []string{"Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"},
		streets: []string{"George St", "High St", "Church St", "Station Rd", "Victoria Rd"}},
	"GB": {code: "GB", currency: "GBP", zone: "Europe/London", dial: "44", natLen: 10, mobile: "7700", minorUnits: true,
		cities:  []string{"London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol"},
		streets: []string{"High Street", "Station Road", "Church Lane", "Park Road", "Victoria Street"}},
	"CA": {code: "CA", currency: "CAD", zone: "America/Toronto", dial: "1", natLen: 10, mobile: "555", minorUnits: true,
		cities:  []string{"Toronto", "Vancouver", "Montreal", "Calgary", "Ottawa", "Winnipeg"},
		streets: []string{"King St", "Queen St", "Yonge St", "Main St", "Bay St"}},
	"DE": {code: "DE", currency: "EUR", zone: "Europe/Berlin", dial: "49", natLen: 11, mobile: "151", minorUnits: true,
		cities:  []string{"Berlin", "München", "Hamburg", "Köln", "Frankfurt", "Düsseldorf"},
		streets: []string{"Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße"}},
	"IT": {code: "IT", currency: "EUR", zone: "Europe/Rome", dial: "39", natLen: 10, mobile: "3", minorUnits: true,
		cities:  []string{"Milano", "Roma", "Torino", "Napoli", "Bologna", "Firenze", "Verona"},
		streets: []string{"Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Via Verdi"}},
	"JP": {code: "JP", currency: "JPY", zone: "Asia/Tokyo", dial: "81", natLen: 10, mobile: "90",
		cities:  []string{"Tokyo", "Osaka", "Nagoya", "Yokohama", "Fukuoka"},
		streets: []string{"Chuo 1-2", "Minato 3-4", "Shinjuku 2-8", "Kita 5-1", "Nishi 4-3"}},
	"SG": {code: "SG", currency: "SGD", zone: "Asia/Singapore", dial: "65", natLen: 8, mobile: "8", minorUnits: true,
		cities:  []string{"Singapore"},
		streets: []string{"Orchard Rd", "Tampines Ave", "Jurong West St", "Ang Mo Kio Ave", "Bedok North Rd"}},
	"FR": {code: "FR", currency: "EUR", zone: "Europe/Paris", dial: "33", natLen: 9, mobile: "6", minorUnits: true,
		cities:  []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Lille"},
		streets: []string{"Rue de la Paix", "Avenue Victor Hugo", "Rue Pasteur", "Boulevard Voltaire", "Rue du Moulin"}},
	"NL": {code: "NL", currency: "EUR", zone: "Europe/Amsterdam", dial: "31", natLen: 9, mobile: "6", minorUnits: true,
		cities:  []string{"Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"},
		streets: []string{"Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat"}},
	"SE": {code: "SE", currency: "SEK", zone: "Europe/Stockholm", dial: "46", natLen: 9, mobile: "70", minorUnits: true,
		cities:  []string{"Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås"},
		streets: []string{"Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan", "Järnvägsgatan"}},
	"NO": {code: "NO", currency: "NOK", zone: "Europe/Oslo", dial: "47", natLen: 8, mobile: "4", minorUnits: true,
		cities:  []string{"Oslo", "Bergen", "Trondheim", "Stavanger"},
		streets: []string{"Storgata", "Kirkegata", "Skolegata", "Strandgata"}},
	"PH": {code: "PH", currency: "PHP", zone: "Asia/Manila", dial: "63", natLen: 10, mobile: "917", minorUnits: true,
		cities:  []string{"Manila", "Quezon City", "Cebu City", "Davao City", "Pampanga", "Caloocan", "Taguig", "Cagayan de Oro"},
		streets: []string{"Brgy San Isidro", "Brgy Poblacion", "Brgy Santo Niño", "Brgy Bagong Silang", "Purok 3 Brgy Malanday", "Rizal St"}},
	"VN": {code: "VN", currency: "VND", zone: "Asia/Ho_Chi_Minh", dial: "84", natLen: 9, mobile: "9",
		cities:  []string{"Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ"},
		streets: []string{"Phường Bến Nghé", "Phường 7 Quận 3", "Đường Lê Lợi", "Phường Hòa Minh", "Đường Trần Phú"}},
	"TH": {code: "TH", currency: "THB", zone: "Asia/Bangkok", dial: "66", natLen: 9, mobile: "8", minorUnits: true,
		cities:  []string{"Bangkok", "Chiang Mai", "Pattaya", "Udon Thani", "Khon Kaen"},
		streets: []string{"Soi Sukhumvit 11", "Thanon Rama IV", "Moo 5 Tambon Nong Prue", "Soi Ari", "Thanon Nimman"}},
	"KH": {code: "KH", currency: "USD", zone: "Asia/Phnom_Penh", dial: "855", natLen: 8, mobile: "1", minorUnits: true,
		cities:  []string{"Phnom Penh", "Siem Reap", "Battambang"},
		streets: []string{"Street 63", "Street 271", "Sangkat Boeung Keng Kang", "Street 110"}},
	"ID": {code: "ID", currency: "IDR", zone: "Asia/Jakarta", dial: "62", natLen: 10, mobile: "81",
		cities:  []string{"Jakarta", "Surabaya", "Bandung", "Medan", "Denpasar"},
		streets: []string{"Jl. Merdeka", "Jl. Sudirman", "Jl. Gatot Subroto", "Jl. Diponegoro"}},
	"IN": {code: "IN", currency: "INR", zone: "Asia/Kolkata", dial: "91", natLen: 10, mobile: "98", minorUnits: true,
		cities:  []string{"Mumbai", "Delhi", "Bengaluru", "Chennai", "Kochi"},
		streets: []string{"MG Road", "Station Road", "Gandhi Nagar", "Nehru Street"}},
	"MX": {code: "MX", currency: "MXN", zone: "America/Mexico_City", dial: "52", natLen: 10, mobile: "55", minorUnits: true,
		cities:  []string{"Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Oaxaca"},
		streets: []string{"Calle Juárez", "Av. Hidalgo", "Calle Morelos", "Av. Reforma"}},
	"NG": {code: "NG", currency: "NGN", zone: "Africa/Lagos", dial: "234", natLen: 10, mobile: "80", minorUnits: true,
		cities:  []string{"Lagos", "Abuja", "Ibadan", "Port Harcourt"},
		streets: []string{"Allen Avenue", "Adeola Odeku St", "Awolowo Road", "Bode Thomas St"}},
	"GH": {code: "GH", currency: "GHS", zone: "Africa/Accra", dial: "233", natLen: 9, mobile: "24", minorUnits: true,
		cities:  []string{"Accra", "Kumasi", "Tamale"},
		streets: []string{"Oxford Street", "Liberation Road", "Ring Road"}},
	"MY": {code: "MY", currency: "MYR", zone: "Asia/Kuala_Lumpur", dial: "60", natLen: 9, mobile: "12", minorUnits: true,
		cities:  []string{"Kuala Lumpur", "Penang", "Johor Bahru"},
		streets: []string{"Jalan Ampang", "Jalan Bukit Bintang", "Jalan Tun Razak"}},
	"PK": {code: "PK", currency: "PKR", zone: "Asia/Karachi", dial: "92", natLen: 10, mobile: "300", minorUnits: true,
		cities:  []string{"Karachi", "Lahore", "Islamabad"},
		streets: []string{"Shahrah-e-Faisal", "Mall Road", "Jinnah Avenue"}},
	"PL": {code: "PL", currency: "PLN", zone: "Europe/Warsaw", dial: "48", natLen: 9, mobile: "5", minorUnits: true,
		cities:  []string{"Warszawa", "Kraków", "Łódź", "Wrocław", "Gdańsk"},
		streets: []string{"ul. Długa", "ul. Polna", "ul. Leśna", "ul. Słoneczna"}},
	"RO": {code: "RO", currency: "RON", zone: "Europe/Bucharest", dial: "40", natLen: 9, mobile: "7", minorUnits: true,
		cities:  []string{"București", "Cluj-Napoca", "Iași", "Timișoara"},
		streets: []string{"Strada Mihai Eminescu", "Bulevardul Unirii", "Strada Florilor"}},
	"CN": {code: "CN", currency: "CNY", zone: "Asia/Shanghai", dial: "86", natLen: 11, mobile: "13", minorUnits: true,
		cities:  []string{"Shenzhen", "Guangzhou", "Yiwu", "Shanghai", "Ningbo"},
		streets: []string{"Nanshan Rd", "Tianhe Rd", "Futian Ave", "Binjiang Rd"}},
	"CO": {code: "CO", currency: "COP", zone: "America/Bogota", dial: "57", natLen: 10, mobile: "30",
		cities:  []string{"Bogotá", "Medellín", "Cali", "Barranquilla"},
		streets: []string{"Calle 72", "Carrera 7", "Calle 10 Sur", "Avenida 68"}},
	"CY": {code: "CY", currency: "EUR", zone: "Asia/Nicosia", dial: "357", natLen: 8, mobile: "9", minorUnits: true,
		cities: []string{"Limassol", "Nicosia"}, streets: []string{"Makariou Ave", "Arch. Kyprianou"}},
}
