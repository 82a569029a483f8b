package synth

import "strings"

// namePool draws realistic names: family names with their real skew (a
// Vietnamese world where Nguyễn is one name in three is much harder to
// resolve than one with uniform names).
type namePool struct {
	male, female []string
	family       []string
	familyCum    []float64 // cumulative weights of family
	familyFirst  bool      // written family name first by custom
}

func pool(male, female string, family string, familyFirst bool) *namePool {
	p := &namePool{male: strings.Split(male, ","), female: strings.Split(female, ","), familyFirst: familyFirst}
	// "Name:weight" entries; unweighted entries follow a Zipf-like decay.
	total := 0.0
	for i, f := range strings.Split(family, ",") {
		w := 1.0 / float64(i+3)
		if k := strings.IndexByte(f, ':'); k >= 0 {
			w = atof(f[k+1:])
			f = f[:k]
		}
		total += w
		p.family = append(p.family, f)
		p.familyCum = append(p.familyCum, total)
	}
	for i := range p.familyCum {
		p.familyCum[i] /= total
	}
	return p
}

func atof(s string) float64 {
	v, frac, div := 0.0, false, 1.0
	for _, c := range s {
		if c == '.' {
			frac = true
			continue
		}
		v = v*10 + float64(c-'0')
		if frac {
			div *= 10
		}
	}
	return v / div
}

var (
	anglo = pool("James,John,Robert,Michael,William,David,Richard,Joseph,Thomas,Charles,Daniel,Matthew,Mark,Steven,Paul,Andrew,Kenneth,Brian,Kevin,Gary,Timothy,Ronald,Edward,Peter,Christopher",
		"Mary,Patricia,Jennifer,Linda,Elizabeth,Barbara,Susan,Jessica,Sarah,Karen,Nancy,Lisa,Margaret,Sandra,Ashley,Emily,Donna,Michelle,Carol,Amanda",
		"Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Martin,Jackson,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Hill,Green,Adams,Baker,Nelson,Carter,Mitchell,Roberts,Turner,Phillips,Campbell,Parker,Evans,Edwards,Collins,Stewart,Morris,Murphy,Cook,Rogers,Morgan,Cooper,Peterson,Reed,Bailey,Kelly,Howard,Ward,Cox,Richardson,Wood,Watson,Brooks,Bennett,Gray,Hughes,Price,Sanders,Myers,Long,Ross,Foster,Powell,Jenkins,Perry,Russell,Sullivan,Bell,Coleman,Butler,Henderson,Barnes,Fisher,Murray,Ellis,Harrison,Gibson,McDonald,Cruz,Marshall,Owens,Wells,Webb,Simpson,Stevens,Tucker,Porter,Hunter,Hicks,Crawford,Boyd,Mason,Kennedy,Warren,Dixon,Burns,Gordon,Shaw,Holmes,Rice,Hunt,Black,Daniels,Palmer,Mills,Grant,Knight,Ferguson,Rose,Stone,Hawkins,Dunn,Perkins,Hudson,Spencer,Gardner,Stephens,Payne,Pierce,Berry,Matthews,Arnold,Wagner,Willis,Ray,Watkins,Olson,Carroll,Duncan,Snyder,Hart,Cunningham,Bradley,Lane,Andrews,Ruiz,Harper,Fox,Riley,Armstrong,Carpenter,Weaver,Greene,Lawrence,Elliott,Chavez,Sims,Austin,Peters,Kelley,Franklin,Lawson", false)
	german = pool("Thomas,Michael,Andreas,Stefan,Peter,Klaus,Jürgen,Frank,Markus,Wolfgang,Uwe,Johann,Dieter,Jörg,Matthias",
		"Sabine,Petra,Monika,Andrea,Claudia,Susanne,Birgit,Ursula,Jutta,Kerstin,Heike,Anja",
		"Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer,Koch,Bauer,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hofmann,Hartmann,Lange,Schmitt,Werner,Schmitz,Krause,Meier,Lehmann,Schmid,Schulze,Maier,Köhler,Herrmann,König,Walter,Mayer,Huber,Kaiser,Fuchs,Peters,Lang,Scholz,Möller,Weiß,Jung,Hahn,Schubert,Vogel,Friedrich,Keller,Günther,Frank,Berger,Winkler,Roth,Beck,Lorenz,Baumann,Franke,Albrecht,Schuster,Simon,Ludwig,Böhm,Winter,Kraus,Martin,Schumacher,Krämer,Vogt,Stein,Jäger,Otto,Sommer,Groß,Seidel,Heinrich,Brandt,Haas,Schreiber,Graf,Schulte,Dietrich,Ziegler,Kuhn,Kühn,Pohl,Engel,Horn,Busch,Bergmann,Thomas,Voigt,Sauer,Arnold,Wolff,Pfeiffer", false)
	italian = pool("Giuseppe,Giovanni,Antonio,Mario,Luigi,Francesco,Angelo,Vincenzo,Pietro,Salvatore,Carlo,Franco,Domenico,Bruno,Paolo,Michele,Giorgio,Aldo,Sergio,Luciano,Marco,Roberto,Stefano,Alessandro,Massimo",
		"Maria,Anna,Giuseppina,Rosa,Angela,Giovanna,Teresa,Lucia,Carmela,Caterina,Francesca,Anna Maria,Antonietta,Carla,Elena,Giulia,Chiara,Laura",
		"Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti,Barbieri,Fontana,Santoro,Mariani,Rinaldi,Caruso,Ferrara,Galli,Martini,Leone,Longo,Gentile,Martinelli,Vitale,Lombardo,Serra,Coppola,De Santis,D'Angelo,Marchetti,Parisi,Villa,Conte,Ferraro,Ferri,Fabbri,Bianco,Marini,Grasso,Valentini,Messina,Sala,De Angelis,Gatti,Pellegrini,Palumbo,Sanna,Farina,Rizzi,Monti,Cattaneo,Morelli,Amato,Silvestri,Mazza,Testa,Grassi,Pellegrino,Carbone,Giuliani,Benedetti,Barone,Rossetti,Caputo,Montanari,Guerra,Palmieri,Bernardi,Martino,Fiore", false)
	french = pool("Jean,Pierre,Michel,André,Philippe,Alain,Jacques,Bernard,Patrick,Daniel,Christophe,Nicolas,François,Éric,Laurent",
		"Marie,Nathalie,Isabelle,Sylvie,Catherine,Françoise,Martine,Christine,Monique,Sophie,Valérie,Céline",
		"Martin,Bernard,Thomas,Petit,Robert,Richard,Durand,Dubois,Moreau,Laurent,Simon,Michel,Lefèvre,Leroy,Roux,David,Bertrand,Morel,Fournier,Girard,Bonnet,Dupont,Lambert,Fontaine,Rousseau,Vincent,Muller,Lefebvre,Faure,André,Mercier,Blanc,Guérin,Boyer,Garnier,Chevalier,François,Legrand,Gauthier,Garcia,Perrin,Robin,Clément,Morin,Nicolas,Henry,Roussel,Mathieu,Gautier,Masson", false)
	dutch = pool("Jan,Pieter,Hendrik,Willem,Johannes,Cornelis,Dirk,Gerrit,Kees,Bas,Ruud,Sander,Joost,Maarten",
		"Maria,Anna,Johanna,Cornelia,Elisabeth,Sanne,Lotte,Anouk,Femke,Ingrid,Marloes",
		"de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,de Boer,Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer,de Wit,Dijkstra,Smits,de Graaf,van der Meer,van der Linden,Kok,Jacobs,de Haan,Vermeulen", false)
	nordic = pool("Lars,Anders,Johan,Erik,Per,Karl,Nils,Mikael,Jan,Hans,Ola,Björn,Magnus,Sven,Øystein",
		"Anna,Maria,Eva,Karin,Kristina,Lena,Sara,Ingrid,Kari,Emma,Åsa,Sofia",
		"Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsson,Persson,Svensson,Gustafsson,Pettersson,Jonsson,Jansson,Hansen,Johansen,Olsen,Larsen,Andersen,Pedersen,Nilsen,Kristiansen,Jensen,Berg,Lindberg,Lindström,Åberg,Sjöberg,Bråthen,Sørensen,Dahl", false)
	japanese = pool("Hiroshi,Takashi,Kenji,Satoshi,Makoto,Daisuke,Kazuo,Yoshio,Tetsuya,Shinji,Akira,Naoki",
		"Yoko,Keiko,Tomoko,Akiko,Yuko,Naoko,Kumiko,Mayumi,Sachiko,Emi",
		"Sato,Suzuki,Takahashi,Tanaka,Watanabe,Ito,Yamamoto,Nakamura,Kobayashi,Kato,Yoshida,Yamada,Sasaki,Yamaguchi,Matsumoto,Inoue,Kimura,Hayashi,Shimizu,Yamazaki,Mori,Abe,Ikeda,Hashimoto,Yamashita,Ishikawa,Nakajima,Maeda,Fujita,Ogawa", true)
	chinese = pool("Wei,Jun,Ming,Hao,Jian,Lei,Tao,Qiang,Bin,Kai,Jie,Yong",
		"Li Na,Mei,Xiu Ying,Hui,Ling,Yan,Fang,Jing,Xin,Lan",
		"Tan:8,Lim:6,Lee:6,Ng:4,Ong:3,Wong:3,Goh:2,Chua:2,Chan:2,Koh:2,Teo:2,Ang:1.5,Yeo:1.2,Tay:1.2,Ho:1.2,Low:1,Toh:1,Sim:1,Chong:1,Chia:1,Wang:1,Zhang:1,Liu:1,Chen:1,Yang:1,Huang:1,Zhao:1,Wu:1,Zhou:1,Xu:1", true)
	filipino = pool("Jose,Juan,Antonio,Mark,John Paul,Michael,Ramon,Eduardo,Roberto,Rogelio,Danilo,Ricardo,Jun,Carlo,Jerome,Rodel,Arnel,Ferdinand,Joel,Reynaldo",
		"Maria,Ma. Cristina,Rosalie,Marites,Jocelyn,Maricel,Liza,Analyn,Rowena,Jennifer,Lorna,Evelyn,Gemma,Mylene,Rosario,Teresita,Cherry,Jasmine,Angelica,Kristine",
		"Santos:3.6,Reyes:3.3,Cruz:3,Bautista:2.5,Ocampo:1.3,Garcia:2.2,Mendoza:2,Torres:1.8,Tomas:1,Andrada:0.6,Castillo:1.2,Flores:1.5,Villanueva:1.4,Ramos:1.6,Castro:1.1,Rivera:1.3,Aquino:1,Navarro:0.9,Salazar:0.8,Mercado:0.9,Aguilar:0.8,Dela Cruz:2.4,De Leon:1.2,Del Rosario:1.1,De Guzman:1.2,Gonzales:1.3,Pascual:0.9,Domingo:0.8,Lopez:1.2,Fernandez:0.9,Soriano:0.7,Manalo:0.6,Dizon:0.6,Santiago:0.8,Valdez:0.7,Macaraeg:0.3,Magbanua:0.3,Dimaculangan:0.2,Lacson:0.3,Tolentino:0.6,Gatchalian:0.2,Panganiban:0.3,Sison:0.4,Quiambao:0.2,Bernardo:0.6,Manansala:0.3,Pangilinan:0.4,Evangelista:0.6,Natividad:0.4,Abad:0.4", false)
	vietnamese = pool("Văn Hùng,Văn Nam,Minh Tuấn,Quốc Bảo,Đức Anh,Văn Long,Thanh Sơn,Hữu Phước,Công Minh,Văn Đức,Quang Huy,Văn Tài",
		"Thị Lan,Thị Hoa,Thị Mai,Thị Hương,Ngọc Anh,Thu Trang,Thị Hằng,Thị Thu,Kim Ngân,Thị Nga,Bích Ngọc,Thị Linh",
		"Nguyễn:38,Trần:11,Lê:9.5,Phạm:7.1,Hoàng:5.1,Huỳnh:5.1,Phan:4.5,Vũ:3.9,Võ:3.9,Đặng:2.1,Bùi:2,Đỗ:1.4,Hồ:1.3,Ngô:1.3,Dương:1,Lý:0.5,Đinh:0.6,Trương:0.6,Lâm:0.4,Mai:0.4", true)
	thai = pool("Somchai,Somsak,Prasert,Surachai,Anan,Wichai,Chaiwat,Kittisak,Narong,Sombat,Thanawat,Apichat",
		"Somsri,Malee,Ratana,Siriporn,Kanya,Nittaya,Pranee,Wanida,Suda,Araya,Porntip,Jintana",
		"Saetang,Srisuk,Sukprasert,Chaiyaporn,Wongsawat,Boonmee,Rattanakorn,Thongchai,Kaewkla,Chantarasri,Phromma,Saelim,Sriwong,Charoenying,Intharasuk,Panyasiri,Jaidee,Khamkaew,Suwannarat,Yodsuwan,Pongsak,Meesuk,Wattana,Kongkaew,Thanasarn", false)
	khmer = pool("Sokha,Dara,Vuthy,Rithy,Sovann,Chanthy,Pheakdey,Visal",
		"Sreymom,Sophea,Chenda,Bopha,Kanha,Sokunthea,Dalin,Channary",
		"Sok:6,Chan:5,Kim:4,Heng:3,Ly:3,Chea:3,Meas:2,Keo:2,Nhem:1,Ouk:1,Phan:1,Seng:2,Sun:1,Touch:1,Prak:1", true)
	indonesian = pool("Budi,Agus,Joko,Eko,Hendra,Rudi,Wahyu,Dedi,Bambang,Slamet",
		"Siti,Sri,Dewi,Rina,Wati,Ani,Yuni,Ratna,Indah,Lestari",
		"Santoso,Wijaya,Saputra,Hidayat,Kusuma,Nugroho,Setiawan,Pratama,Susanto,Halim,Gunawan,Sutanto,Purnomo,Wibowo,Hartono", false)
	indian = pool("Rahul,Amit,Suresh,Rajesh,Vijay,Sanjay,Anil,Arjun,Ravi,Prakash",
		"Priya,Anita,Sunita,Lakshmi,Deepa,Kavita,Meena,Pooja,Geeta,Asha",
		"Kumar,Singh,Sharma,Patel,Nair,Reddy,Iyer,Menon,Gupta,Das,Pillai,Joshi,Rao,Verma,Mehta", false)
	hispanic = pool("José,Juan,Luis,Carlos,Jorge,Miguel,Alejandro,Francisco,Javier,Andrés,Pedro,Manuel",
		"María,Guadalupe,Ana,Rosa,Carmen,Laura,Sofía,Daniela,Gabriela,Lucía",
		"Hernández,García,Martínez,López,González,Pérez,Rodríguez,Sánchez,Ramírez,Cruz,Flores,Gómez,Morales,Vázquez,Reyes,Jiménez,Torres,Díaz,Gutiérrez,Ruiz,Mendoza,Aguilar,Ortiz,Moreno,Castillo", false)
	nigerian = pool("Chinedu,Emeka,Oluwaseun,Tunde,Ibrahim,Kwame,Kofi,Yaw,Segun,Chukwuma",
		"Ngozi,Chioma,Funmilayo,Aisha,Ama,Akosua,Adaeze,Blessing,Yewande,Efua",
		"Okafor,Adeyemi,Okonkwo,Balogun,Eze,Mensah,Owusu,Boateng,Asante,Ogunleye,Nwosu,Abubakar,Bello,Adjei,Osei", false)
	malay = pool("Ahmad,Muhammad,Mohd,Azman,Faizal,Hafiz,Rizal,Zul",
		"Nur,Siti,Aisyah,Farah,Nurul,Aminah,Zainab,Hafizah",
		"bin Abdullah,bin Ismail,bin Hassan,binti Ahmad,bin Osman,binti Yusof,bin Ibrahim,bin Ali", false)
	polish = pool("Piotr,Krzysztof,Andrzej,Tomasz,Paweł,Marcin,Michał,Jan,Marek,Grzegorz",
		"Anna,Maria,Katarzyna,Małgorzata,Agnieszka,Barbara,Ewa,Krystyna,Magdalena,Joanna",
		"Nowak,Kowalski,Wiśniewski,Wójcik,Kowalczyk,Kamiński,Lewandowski,Zieliński,Szymański,Woźniak,Dąbrowski,Kozłowski,Jankowski,Mazur,Kwiatkowski", false)
	romanian = pool("Ion,Gheorghe,Andrei,Mihai,Alexandru,Constantin,Florin,Adrian,Cristian,Vasile",
		"Maria,Elena,Ioana,Ana,Andreea,Mihaela,Cristina,Gabriela,Alexandra,Daniela",
		"Popa,Popescu,Pop,Radu,Dumitru,Stan,Stoica,Gheorghe,Matei,Ciobanu,Ionescu,Rusu,Munteanu,Constantin,Ene", false)
	pakistani = pool("Muhammad,Ali,Ahmed,Hassan,Usman,Bilal,Imran,Kamran",
		"Fatima,Ayesha,Sana,Hina,Amna,Zainab,Sadia,Rabia",
		"Khan,Ahmed,Ali,Hussain,Malik,Butt,Iqbal,Qureshi,Shah,Chaudhry,Raza,Javed", false)
	greek = pool("Giorgos,Andreas,Nikos,Christos,Kostas,Michalis",
		"Maria,Eleni,Andri,Christina,Katerina,Georgia",
		"Georgiou,Charalambous,Ioannou,Constantinou,Christodoulou,Nicolaou,Andreou,Michael", false)
)

func init() {
	for code, p := range map[string]*namePool{
		"US": anglo, "AU": anglo, "GB": anglo, "CA": anglo, "DE": german, "IT": italian, "FR": french, "NL": dutch,
		"SE": nordic, "NO": nordic, "JP": japanese, "SG": chinese, "CN": chinese, "PH": filipino, "VN": vietnamese,
		"TH": thai, "KH": khmer, "ID": indonesian, "IN": indian, "MX": hispanic, "CO": hispanic, "NG": nigerian,
		"GH": nigerian, "MY": malay, "PL": polish, "RO": romanian, "PK": pakistani, "CY": greek,
	} {
		countries[code].names = p
	}
}

// nicknames: the forms a given name takes on another institution's record.
var nicknames = map[string][]string{
	"Robert": {"Bob", "Rob", "Bobby"}, "William": {"Bill", "Will"}, "James": {"Jim", "Jimmy"},
	"Richard": {"Rick", "Dick"}, "Michael": {"Mike"}, "Thomas": {"Tom", "Tommy"}, "Joseph": {"Joe"},
	"Charles": {"Charlie", "Chuck"}, "Daniel": {"Dan", "Danny"}, "Matthew": {"Matt"}, "Steven": {"Steve"},
	"Andrew": {"Andy", "Drew"}, "Kenneth": {"Ken", "Kenny"}, "Timothy": {"Tim"}, "Ronald": {"Ron"},
	"Edward": {"Ed", "Eddie", "Ted"}, "Christopher": {"Chris"}, "Peter": {"Pete"}, "David": {"Dave"},
	"Elizabeth": {"Liz", "Beth", "Betty"}, "Patricia": {"Pat", "Patty"}, "Jennifer": {"Jen", "Jenny"},
	"Margaret": {"Maggie", "Peggy"}, "Susan": {"Sue"}, "Barbara": {"Barb"}, "Jessica": {"Jess"},
	"Giuseppe": {"Peppe", "Pino"}, "Francesco": {"Franco", "Checco"}, "Giovanni": {"Gianni", "Nanni"},
	"Salvatore": {"Totò", "Turi"}, "Vincenzo": {"Enzo"}, "Antonio": {"Tonino", "Toni"}, "Alessandro": {"Alex", "Sandro"},
	"Johann": {"Hans"}, "Wolfgang": {"Wolf"}, "Jose": {"Pepe", "Joey"}, "José": {"Pepe"}, "Francisco": {"Paco", "Pancho"},
	"Maria": {"Mia", "Mary"}, "Jun": {"Junjun"}, "Ricardo": {"Ricky"}, "Eduardo": {"Eddie"}, "Roberto": {"Berto", "Bert"},
	"Alejandro": {"Alex"}, "Christina": {"Tina"}, "Kristine": {"Tin"}, "Rosario": {"Charo"}, "Teresita": {"Tess"},
	"Jan": {"Jannes"}, "Hendrik": {"Henk"}, "Cornelis": {"Kees"}, "Johannes": {"Hans", "Jan"},
}
