package normalize

import "sort"

// nickToName maps common nicknames to one canonical given name, so that
// Bob and Robert, Peppe and Giuseppe compare as the same name.
var nickToName = map[string]string{}

func init() {
	table := map[string][]string{
		"robert": {"bob", "rob", "bobby", "robbie", "bert"}, "william": {"bill", "will", "billy", "willy"},
		"james": {"jim", "jimmy", "jamie"}, "richard": {"rick", "dick", "ricky", "rich"}, "michael": {"mike", "mick", "mikey"},
		"thomas": {"tom", "tommy"}, "joseph": {"joe", "joey"}, "charles": {"charlie", "chuck"}, "daniel": {"dan", "danny"},
		"matthew": {"matt"}, "steven": {"steve"}, "stephen": {"steve"}, "andrew": {"andy", "drew"}, "kenneth": {"ken", "kenny"},
		"timothy": {"tim"}, "ronald": {"ron", "ronnie"}, "edward": {"ed", "eddie", "ted", "ned"}, "christopher": {"chris"},
		"peter": {"pete"}, "david": {"dave"}, "anthony": {"tony"}, "elizabeth": {"liz", "beth", "betty", "lizzie"},
		"patricia": {"pat", "patty", "trish"}, "jennifer": {"jen", "jenny"}, "margaret": {"maggie", "peggy", "meg"},
		"susan": {"sue", "susie"}, "barbara": {"barb"}, "jessica": {"jess"}, "katherine": {"kate", "kathy", "katie"},
		"giuseppe": {"peppe", "pino", "beppe"}, "francesco": {"franco", "checco"}, "giovanni": {"gianni", "nanni"},
		"salvatore": {"toto", "turi"}, "vincenzo": {"enzo"}, "antonio": {"tonino", "toni"}, "alessandro": {"sandro"},
		"johann": {"hans"}, "johannes": {"hannes"}, "wolfgang": {"wolf"}, "jose": {"pepe", "joey"}, "francisco": {"paco", "pancho"},
		"maria": {"mia", "ma"}, "ricardo": {"ricky"}, "eduardo": {"eddie"}, "alejandro": {"alex"}, "christina": {"tina"},
		"cristina": {"tina"}, "rosario": {"charo"}, "teresita": {"tess"}, "hendrik": {"henk"}, "cornelis": {"kees"},
		"jun": {"junjun"}, "kristine": {"tin"},
	}
	// Sorted, so that a nickname shared by two names (Eddie) always goes to
	// the same one.
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, n := range table[name] {
			if _, taken := nickToName[n]; !taken {
				nickToName[n] = name
			}
		}
	}
}
