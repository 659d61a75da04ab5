// Package demo makes the demonstration clinic and the synthetic data the load harness uses: realistic, reproducible, and obviously fictional.
package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
)

// Place is where a location's clients live: the city and state on their
// addresses, the ZIP codes they may have and the streets they may live on
// ("Oak Hollow Dr", to which Clients adds a house number).
type Place struct {
	City    string
	State   string
	Zips    []string
	Streets []string
}

// Austin is the demo clinic's main location: real Austin ZIP codes, generic
// Central Texas street names.
var Austin = Place{
	City:  "Austin",
	State: "TX",
	Zips: strings.Fields(`78701 78702 78703 78704 78705 78717 78721 78722 78723 78724 78725
		78726 78727 78728 78729 78730 78731 78732 78735 78736 78739 78741 78744 78745 78746
		78747 78748 78749 78750 78751 78752 78753 78754 78756 78757 78758 78759`),
	Streets: []string{
		"Oak Hollow Dr", "Pecan Grove Ln", "Live Oak St", "Cedar Bend Dr", "Bluebonnet Trl",
		"Mesquite Ridge Rd", "Limestone Ct", "Agave Way", "Red Bud Ln", "Canyon Rim Dr",
		"Hill Country Blvd", "Sage Meadow Dr", "Cypress Creek Rd", "Windmill Ln", "Lone Star Dr",
		"Prairie Dove Cir", "Juniper Hills Dr", "Mockingbird Ln", "Shoal Creek Ct", "Sunset Terrace Dr",
		"Maple Run Dr", "Willow Bend Ln", "Post Oak Trl", "Armadillo Rd", "Painted Sky Dr",
		"Elm Crest Ave", "Riverbend Dr", "Stonewall Ln", "Greenbriar St", "Honey Locust Ln",
		"Quail Ridge Dr", "Chisholm Trail Rd", "Cottonwood Ave", "Magnolia Ct", "Rocky Spring Rd",
		"Yaupon Dr", "Wildflower Ln", "Lantana Loop", "Coronado Hills Dr", "Cactus Rose Way",
	},
}

// RoundRock is the demo clinic's second location, north of Austin.
var RoundRock = Place{
	City:  "Round Rock",
	State: "TX",
	Zips:  []string{"78664", "78665", "78681"},
	Streets: []string{
		"Brushy Creek Dr", "Chandler Oaks Ln", "Old Settlers Way", "Meadow Lake Dr", "Kenney Fort Trl",
		"Hickory Hollow Ln", "Sam Bass Ct", "Palm Valley Dr", "Deer Run Ln", "Cattle Trail Rd",
		"Stagecoach Dr", "Sundance Pkwy", "Lakeview Dr", "Rolling Hills Dr", "Forest Creek Dr",
		"Bluestem Ln", "Pebble Creek Cir", "Turtle Rock Rd", "Wagon Wheel Trl", "Arrowhead Dr",
		"Saddle Ridge Ln", "Harvest Moon Dr", "Indian Paintbrush Ln", "Windy Park Dr", "Shady Oaks Ct",
		"Quarry Bend Dr", "Creekside Ln", "Mustang Run", "Prairie Rose Dr", "Settlers Park Loop",
	},
}

// group is a naming background: first names by sex, last names, and how
// often people of that background have a middle name on record.
type group struct {
	weight     int // share of clients, out of the sum over groups
	female     []string
	male       []string
	last       []string
	middleRate float64
	// borrow is the share of last names taken from the general list (many
	// African American surnames are the general ones).
	borrow float64
}

// The groups roughly follow the mix of Central Texas. A client's first and
// last names usually come from the same group but not always (families mix,
// and many people of every background have "general" first names), so the
// (first, last) pairs spread over the product of the lists.
var groups = []group{
	{ // general, mostly English, Irish, German and other European names
		weight: 48, middleRate: 0.6,
		female: strings.Fields(`Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen
			Lisa Nancy Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah
			Stephanie Rebecca Laura Cynthia Kathleen Amy Angela Rachel Katherine Christine Heather Megan
			Samantha Hannah Olivia Emma Abigail Madison Lauren Caroline Victoria Allison Brittany Courtney
			Erin Kelsey Julia Natalie Grace Chloe Alexandra Jacqueline Theresa Dorothy Judith Joan Beverly
			Frances Evelyn Shirley Virginia Colleen Bridget Harper`),
		male: strings.Fields(`James Robert John Michael David William Richard Joseph Thomas Christopher
			Charles Daniel Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian Timothy
			Ronald Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Benjamin Samuel Gregory
			Patrick Alexander Tyler Brandon Zachary Nathan Kyle Ethan Logan Dylan Connor Walter Harold
			Gerald Douglas Raymond Lawrence Wesley Cody Travis Garrett Sean Brendan Colin`),
		last: strings.Fields(`Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor
			Thomas Moore Thompson White Clark Lewis Walker Young Allen King Wright Scott Hill Green Adams
			Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins
			Stewart Morris Murphy Cook Rogers Peterson Cooper Reed Bailey Bell Kelly Howard Ward Cox
			Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Myers Long Ross Foster Powell
			Jenkins Perry Russell Sullivan Fisher Henderson Coleman Simmons Patterson Jordan Reynolds
			Graham Wallace West Cole Hayes Gibson Bryant Ellis Stevens Murray Ford Owens McDonald Kennedy
			Wells Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Warren Dixon Burns Gordon Shaw
			Holmes Rice Black Daniels Palmer Mills Grant Knight Ferguson Stone Dunn Hudson Spencer
			Gardner Payne Pierce Berry Arnold Wagner Olson Carroll Duncan Snyder Cunningham Bradley Lane
			Andrews Fox Riley Armstrong Weaver Lawrence Elliott Sims Fields Ryan Schmidt Chapman
			Oliver Montgomery Meyer Bishop McCoy Hansen Little Burton Stanley Jacobs Fuller
			Lynch Gilbert Welch Larson Burke Bowman Fowler Hoffman Carlson Pearson Holland Douglas
			Fleming Jensen Byrd Davidson Hopkins Vaughn Curtis Neal Caldwell Lowe Jennings
			O'Brien O'Connor O'Neill Gallagher Sutton McKinney Lucas Miles Craig Lambert
			Fletcher Bates Rhodes Beck Newman Haynes Dawson Norris Steele Keller Weber Leonard
			Walsh Lyons Ramsey Wolfe Benson Bowen Baldwin Griffith Hubbard Reeves
			Tate Cross Mann Moss Thornton Farmer Glover Manning Cohen
			Newton Todd Blair Higgins Ingram Cannon Strickland Townsend Potter Goodwin Yates
			Becker Erickson Webster Norman Malone Hammond Quinn Blake Maxwell Pope Osborne McCarthy
			Gibbs Tyler Fitzgerald Doyle Sherman Saunders Wise Ballard Schwartz McBride Christensen Klein
			Pratt Briggs Zimmerman French Buchanan Copeland Brady Kowalski Novak Rossi Lindqvist
			Abbott Ivanov Petrov Nowak Jablonski Dubois Lefebvre Marino Esposito Romano Larsen Nilsson
			MacLeod Underwood Vance Ashford Whitaker Kaplan Goldberg Friedman Weiss Eriksen
			Smith-Jones Hartley-Reed D'Angelo DiMaggio LaRue`),
	},
	{ // Hispanic and Latino
		weight: 30, middleRate: 0.55,
		female: strings.Fields(`Maria Guadalupe Rosa Ana Veronica Adriana Gabriela Alejandra Daniela
			Sofia Valeria Isabella Ximena Marisol Yesenia Leticia Carmen Elena Lucia Beatriz Araceli
			Graciela Yolanda Esperanza Mariana Paola Itzel Catalina Rocio Claudia`),
		male: strings.Fields(`Jose Juan Luis Carlos Jesus Miguel Francisco Alejandro Javier Roberto
			Fernando Ricardo Eduardo Manuel Raul Sergio Hector Arturo Diego Mateo Santiago Rafael Armando
			Ignacio Joaquin Emilio Andres Enrique Julio Oscar`),
		last: append(strings.Fields(`Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez
			Ramirez Torres Flores Rivera Gomez Diaz Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos
			Ruiz Alvarez Mendoza Castillo Jimenez Moreno Romero Herrera Medina Aguilar Vargas Castro
			Guzman Munoz Salazar Soto Delgado Pena Rios Vega Valdez Contreras Sandoval Guerrero Estrada
			Maldonado Espinoza Ibarra Navarro Cervantes Zamora Trevino Villarreal Cantu Escobar
			Fuentes Salinas Acosta Bautista Cisneros Dominguez Figueroa Benavides Lozano Quintanilla
			Ybarra Zapata Olvera Leal Galindo Arredondo Barrera Uribe Luna Ochoa Pacheco Tijerina
			Rosales Garza Ortega Cabrera Calderon Camacho Cordova Hinojosa Hidalgo
			Huerta Macias Magana Mata Velasquez Zavala Zarate Zuniga Elizondo Beltran Becerra
			Renteria Resendez Rangel Saenz Serrano Solis Sosa Tapia Tellez Tovar Urbina Ulloa Yanez
			Amador Alaniz Alonso Avila Barajas Bermudez Bustamante Cuellar Duarte Enriquez Fierro
			Frias Gamez Ibanez Islas Jaramillo Juarez Ledesma Limon Loera Longoria Mireles Nava Najera
			Nieto Orozco Padilla Pina Ponce Puente Quezada`), "De La Cruz", "De Leon"),
	},
	{ // African American
		weight: 8, middleRate: 0.6, borrow: 0.5,
		female: strings.Fields(`Aaliyah Imani Jasmine Latoya Keisha Tamika Ebony Shanice Destiny Nia
			Kiara Monique Tiana Ayanna Zuri Janelle`),
		male: strings.Fields(`Jamal DeShawn Malik Darnell Terrence Andre Marcus Jerome Tyrone Dwayne
			Darius Khalil Xavier Cedric Reginald DeAndre`),
		last: strings.Fields(`Washington Jefferson Jackson Banks Robinson Harris Freeman Booker
			Mosley Gaines Pryor Battle Whitfield Cheatham Dorsey Okafor Mensah Adeyemi Toussaint
			Baptiste`),
	},
	{ // Vietnamese
		weight: 4, middleRate: 0.4,
		female: strings.Fields(`Linh Thuy Hoa Lan Mai Ngoc Trang Huong Phuong`),
		male:   strings.Fields(`Minh Tuan Duc Hung Quang Thanh Khoa Huy Long`),
		last:   strings.Fields(`Nguyen Tran Le Pham Huynh Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh`),
	},
	{ // East Asian
		weight: 4, middleRate: 0.2,
		female: strings.Fields(`Mei Ying Jia Xiaoling Hana Yuki Emiko Min-ji Seo-yeon Akiko`),
		male:   strings.Fields(`Wei Jun Hao Kenji Hiroshi Takashi Min-jun Ji-ho Sung Jian`),
		last: strings.Fields(`Chen Wang Li Zhang Liu Huang Yang Zhao Wu Zhou Lin Xu Sun Kim Lee Park
			Choi Jung Kang Yoon Tanaka Suzuki Yamamoto Watanabe Nakamura Kobayashi Chang Tsai Wong`),
	},
	{ // South Asian
		weight: 4, middleRate: 0.3,
		female: strings.Fields(`Priya Ananya Divya Kavya Lakshmi Deepa Sunita Neha Pooja Shreya Meera`),
		male:   strings.Fields(`Rahul Arjun Vikram Sanjay Rohan Aditya Ravi Amit Nikhil Rajesh Suresh Anil`),
		last: strings.Fields(`Patel Shah Sharma Singh Kumar Gupta Reddy Rao Iyer Desai Mehta Joshi
			Nair Kapoor Chowdhury Bhatt Menon Srinivasan Venkatesan Banerjee`),
	},
	{ // Middle Eastern and North African
		weight: 2, middleRate: 0.3,
		female: strings.Fields(`Fatima Layla Noor Yasmin Mariam Rania Leila Samira Dalia`),
		male:   strings.Fields(`Omar Ahmed Yusuf Khalid Tariq Karim Hassan Ali Samir Rami Mohammed`),
		last: strings.Fields(`Haddad Khoury Nasser Mansour Saleh Hamdan Aziz Farah Abboud Darwish
			Qureshi Rahman Sabbagh Yousef Tahan`),
	},
}

// unisex first names carry F or M at random, and now and then U.
var unisex = strings.Fields(`Jordan Taylor Morgan Casey Riley Avery Quinn Jamie Alex Cameron`)

// Common middle names, by sex; a middle name is also taken from the group's first names.
var (
	middleF = strings.Fields(`Marie Ann Lynn Elizabeth Rose Grace Jane Louise Nicole Michelle Renee Kay Jean Mae Elena Isabel`)
	middleM = strings.Fields(`Lee James Allen Wayne Ray Michael Edward Joseph Thomas Dean Scott Alan Antonio Luis Alexander`)
)

// nicknames are preferred names a legal first name commonly gives.
var nicknames = map[string][]string{
	"Elizabeth": {"Liz", "Beth", "Lizzie", "Betsy"}, "Katherine": {"Kate", "Katie", "Kathy"},
	"Margaret": {"Maggie", "Peggy", "Meg"}, "Jennifer": {"Jen", "Jenny"}, "Patricia": {"Pat", "Patty", "Trish"},
	"Rebecca": {"Becky", "Becca"}, "Samantha": {"Sam"}, "Alexandra": {"Alex", "Lexi", "Sasha"},
	"Victoria": {"Tori", "Vicky"}, "Jacqueline": {"Jackie"}, "Deborah": {"Debbie", "Deb"},
	"Kimberly": {"Kim"}, "Christine": {"Chris", "Chrissy"}, "Susan": {"Sue", "Susie"}, "Cynthia": {"Cindy"},
	"Kathleen": {"Kathy", "Kate"}, "Stephanie": {"Steph"}, "Abigail": {"Abby"}, "Allison": {"Ally"},
	"Theresa": {"Terri", "Tess"}, "Dorothy": {"Dottie"}, "Judith": {"Judy"}, "Frances": {"Fran"},
	"Beverly": {"Bev"}, "Virginia": {"Ginny"}, "Evelyn": {"Evie"}, "Natalie": {"Nat"}, "Caroline": {"Carrie"},
	"Amanda": {"Mandy"}, "Melissa": {"Missy", "Mel"}, "Barbara": {"Barb"}, "Sandra": {"Sandy"},
	"Michelle": {"Shelly"}, "William": {"Will", "Bill", "Billy", "Liam"}, "Robert": {"Bob", "Rob", "Bobby"},
	"Richard": {"Rick", "Rich"}, "James": {"Jim", "Jimmy", "Jamie"}, "John": {"Jack", "Johnny"},
	"Michael": {"Mike"}, "Christopher": {"Chris"}, "Joseph": {"Joe", "Joey"}, "Thomas": {"Tom", "Tommy"},
	"Charles": {"Charlie", "Chuck"}, "Daniel": {"Dan", "Danny"}, "Matthew": {"Matt"}, "Anthony": {"Tony"},
	"Donald": {"Don"}, "Steven": {"Steve"}, "Andrew": {"Andy", "Drew"}, "Joshua": {"Josh"},
	"Kenneth": {"Ken", "Kenny"}, "Timothy": {"Tim"}, "Ronald": {"Ron"}, "Jeffrey": {"Jeff"}, "Jacob": {"Jake"},
	"Nicholas": {"Nick"}, "Jonathan": {"Jon"}, "Stephen": {"Steve"}, "Benjamin": {"Ben"}, "Samuel": {"Sam"},
	"Gregory": {"Greg"}, "Patrick": {"Pat"}, "Alexander": {"Alex", "Xander"}, "Zachary": {"Zach"},
	"Nathan": {"Nate"}, "Walter": {"Walt"}, "Harold": {"Hal"}, "Gerald": {"Jerry"}, "Douglas": {"Doug"},
	"Raymond": {"Ray"}, "Lawrence": {"Larry"}, "Francisco": {"Paco", "Frank"}, "Jose": {"Joe"},
	"Alejandro": {"Alex"}, "Guadalupe": {"Lupe"}, "Roberto": {"Beto"}, "Eduardo": {"Eddie", "Lalo"},
	"Jesus": {"Chuy"}, "Ignacio": {"Nacho"}, "Enrique": {"Henry"}, "Javier": {"Javi"}, "Manuel": {"Manny"},
	"Rafael": {"Rafa"}, "Ricardo": {"Ricky"}, "Fernando": {"Nando"}, "Alejandra": {"Alex"},
	"Gabriela": {"Gaby"}, "Daniela": {"Dani"}, "Isabella": {"Bella"}, "DeShawn": {"Shawn"},
	"Terrence": {"Terry"}, "Reginald": {"Reggie"}, "Latoya": {"Toya"}, "Tuan": {"Tony"}, "Thuy": {"Tina"},
	"Minh": {"Mike"}, "Linh": {"Lynn"}, "Kenji": {"Ken"}, "Hiroshi": {"Hiro"}, "Arjun": {"AJ"},
	"Vikram": {"Vik"}, "Aditya": {"Adi"}, "Nikhil": {"Nik"}, "Rajesh": {"Raj"}, "Ananya": {"Anu"},
	"Mohammed": {"Mo"}, "Samira": {"Sam"}, "Xiaoling": {"Lily"}, "Seo-yeon": {"Sally"},
}

var relations = []struct {
	name   string
	weight int
}{
	{"Spouse", 34}, {"Partner", 8}, {"Parent", 18}, {"Sibling", 14}, {"Friend", 11}, {"Son", 7}, {"Daughter", 8},
}

// Age bands of a massage practice's clients: mostly working age, a few older.
var ageBands = []struct{ lo, hi, weight int }{
	{18, 24, 7}, {25, 34, 17}, {35, 44, 21}, {45, 54, 21}, {55, 64, 18}, {65, 74, 11}, {75, 85, 5},
}

const (
	minAge = 18
	maxAge = 85
)

var emailDomains = []string{"example.com", "example.com", "example.com", "example.org", "example.net"}

// phones holds every number Clients hands out: (512) and (737) 555-0100
// through 555-0199, the block reserved for fictional use.
var phones = func() []string {
	var p []string
	for _, area := range []string{"512", "737"} {
		for i := 100; i < 200; i++ {
			p = append(p, "("+area+") 555-0"+strconv.Itoa(i))
		}
	}
	return p
}()

type nameKey struct {
	first, last string
	dob         int
}

// gen holds the state of one Clients call.
type gen struct {
	r          *rand.Rand
	groupTotal int
	relTotal   int
	ageTotal   int
	today      time.Time // midnight UTC of today's date
	emails     map[string]struct{}
	names      map[nameKey]struct{}
	buf        []byte
	// ageLo[a] and ageHi[a] bound, as days after epoch, the birth dates of
	// someone a years old today.
	ageLo, ageHi [maxAge + 1]int
}

// Clients makes n fictional clients, the same ones for the same arguments.
//
// Each client prefers one of locations (the first is weighted a little more:
// 60/40 with two) and, about four times in five, a therapist of that location
// from therapists; the address is in places[location] (Austin when the map
// has no entry). Names are drawn from several naming backgrounds, some with
// middle names, suffixes, hyphens or apostrophes, and about 15% have a
// preferred name that differs from the legal first name. Clients are 18 to
// 85 years old on today. Phone numbers are all (512) or (737) 555-01XX, the
// block reserved for fiction, so many clients share one; emails are at
// example.com, example.org or example.net and unique within the set.
// About 85% have an emergency contact; most are active, some inactive and a
// few discharged. IDs, OrgID, Version and timestamps are left for the store.
//
// For n >= 20 the set holds exactly one deliberate possible duplicate: two
// clients with the same legal first name, last name (and suffix) and date of
// birth but different middle names, which the UI should flag. No other two
// clients share a legal first name, last name and date of birth.
//
// Clients panics if locations is empty: every client needs a location.
func Clients(n int, seed int64, locations []int64, therapists map[int64][]int64, places map[int64]Place, today time.Time) []clinic.Client {
	if n <= 0 {
		return nil
	}
	if len(locations) == 0 {
		panic("demo.Clients: no locations")
	}
	y, m, d := today.Date()
	g := &gen{
		r:      rand.New(rand.NewPCG(uint64(seed), 0x6661736369612d64)), // "fascia-d"
		today:  time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		emails: make(map[string]struct{}, n),
		names:  make(map[nameKey]struct{}, n),
		buf:    make([]byte, 0, 64),
	}
	for _, gr := range groups {
		g.groupTotal += gr.weight
	}
	for _, rel := range relations {
		g.relTotal += rel.weight
	}
	for _, b := range ageBands {
		g.ageTotal += b.weight
	}
	// The earliest birth date a client of maxAge can have, as day 0.
	epoch := yearsBefore(g.today, maxAge+1).AddDate(0, 0, 1)
	for a := minAge; a <= maxAge; a++ {
		// Born after the day a+1 years ago, on or before the day a years ago.
		g.ageLo[a] = daysBetween(epoch, yearsBefore(g.today, a+1)) + 1
		g.ageHi[a] = daysBetween(epoch, yearsBefore(g.today, a))
	}

	// Where the deliberate duplicate goes: original in the first half, copy in the second.
	dupOf, dupAt := -1, -1
	if n >= 20 {
		dupOf = g.r.IntN(n / 2)
		dupAt = n/2 + g.r.IntN(n-n/2)
	}

	locTotal := 1 + 2*len(locations) // weights 3, 2, 2, …
	out := make([]clinic.Client, n)
	for i := range out {
		c := &out[i]

		// Where: location, therapist, address.
		li := 0
		if w := g.r.IntN(locTotal); w >= 3 {
			li = 1 + (w-3)/2
		}
		loc := locations[li]
		c.PreferredLocationID = loc
		if ts := therapists[loc]; len(ts) > 0 && g.r.Float64() < 0.8 {
			c.PreferredTherapistID = ts[g.r.IntN(len(ts))]
		}
		pl, ok := places[loc]
		if !ok {
			pl = Austin
		}
		g.address(c, pl)

		// Who: name, sex, birth date.
		gi := g.pickGroup()
		gr := &groups[gi]
		g.name(c, gi)
		age := g.age()
		var day int
		switch i {
		case dupOf:
			if c.MiddleName == "" {
				c.MiddleName = g.middle(gr, c.Sex, c.FirstName, "")
			}
			day = g.dobDay(age, c.FirstName, c.LastName)
		case dupAt:
			o := &out[dupOf]
			c.FirstName, c.LastName, c.Suffix, c.Sex, c.DOB = o.FirstName, o.LastName, o.Suffix, o.Sex, o.DOB
			c.MiddleName = g.middle(groupOf(o.FirstName, gi), c.Sex, c.FirstName, o.MiddleName)
			c.PreferredName = ""
			if nn := nicknames[c.FirstName]; len(nn) > 0 && g.r.IntN(4) == 0 {
				c.PreferredName = nn[g.r.IntN(len(nn))]
			}
			age = c.Age(g.today)
			day = -1
		default:
			day = g.dobDay(age, c.FirstName, c.LastName)
		}
		if day >= 0 {
			c.DOB = dateString(epoch.Add(time.Duration(day) * 24 * time.Hour))
		}
		if c.Suffix == "Sr" && age < 40 {
			c.Suffix = "Jr"
		}

		c.Phone = phones[g.phoneIndex()]
		c.Email = g.email(c, age)
		if g.r.Float64() < 0.85 {
			g.emergency(c, gi, age)
		}

		switch s := g.r.IntN(100); {
		case s < 85:
			c.Status = clinic.StatusActive
		case s < 96:
			c.Status = clinic.StatusInactive
		default:
			c.Status = clinic.StatusDischarged
		}
	}
	return out
}

// groupOf finds the group whose first names hold first, or fallback.
func groupOf(first string, fallback int) *group {
	for i := range groups {
		for _, l := range [][]string{groups[i].female, groups[i].male} {
			for _, f := range l {
				if f == first {
					return &groups[i]
				}
			}
		}
	}
	return &groups[fallback]
}

func (g *gen) pickGroup() int {
	w := g.r.IntN(g.groupTotal)
	for i, gr := range groups {
		if w < gr.weight {
			return i
		}
		w -= gr.weight
	}
	return 0
}

// firstName draws a first name of sex from group gi; a fifth of the time
// (for the non-general groups) from the general names instead.
func (g *gen) firstName(gi int, sex clinic.Sex) string {
	if gi != 0 && g.r.IntN(5) == 0 {
		gi = 0
	}
	l := groups[gi].female
	if sex == clinic.SexMale {
		l = groups[gi].male
	}
	return l[g.r.IntN(len(l))]
}

// lastName draws a last name, mostly from group gi.
func (g *gen) lastName(gi int) string {
	if g.r.IntN(8) == 0 {
		gi = g.pickGroup()
	} else if b := groups[gi].borrow; b > 0 && g.r.Float64() < b {
		gi = 0
	}
	l := groups[gi].last
	return l[g.r.IntN(len(l))]
}

// middle draws a middle name other than first and not.
func (g *gen) middle(gr *group, sex clinic.Sex, first, not string) string {
	for {
		var m string
		l, common := gr.female, middleF
		if sex == clinic.SexMale {
			l, common = gr.male, middleM
		}
		if g.r.IntN(2) == 0 {
			m = l[g.r.IntN(len(l))]
		} else {
			m = common[g.r.IntN(len(common))]
		}
		if m != first && m != not {
			return m
		}
	}
}

func (g *gen) name(c *clinic.Client, gi int) {
	gr := &groups[gi]
	switch s := g.r.IntN(1000); {
	case s < 30: // a unisex name
		c.FirstName = unisex[g.r.IntN(len(unisex))]
		switch {
		case s < 3:
			c.Sex = clinic.SexUnknown
		case s < 16:
			c.Sex = clinic.SexFemale
		default:
			c.Sex = clinic.SexMale
		}
	case s < 30+600:
		c.Sex = clinic.SexFemale
	default:
		c.Sex = clinic.SexMale
	}
	if c.FirstName == "" {
		c.FirstName = g.firstName(gi, c.Sex)
	}
	msex := c.Sex
	if msex == clinic.SexUnknown {
		msex = clinic.SexFemale
	}

	c.LastName = g.lastName(gi)
	// Some double-barrelled names, more often for women.
	if (c.Sex == clinic.SexFemale && g.r.IntN(30) == 0) || g.r.IntN(100) == 0 {
		if other := g.lastName(gi); other != c.LastName && !strings.ContainsAny(other+c.LastName, "- ") {
			c.LastName += "-" + other
		}
	}

	if g.r.Float64() < gr.middleRate {
		c.MiddleName = g.middle(gr, msex, c.FirstName, "")
	}
	if c.Sex == clinic.SexMale && g.r.IntN(40) == 0 {
		switch s := g.r.IntN(20); {
		case s < 11:
			c.Suffix = "Jr"
		case s < 14:
			c.Suffix = "Sr"
		case s < 16:
			c.Suffix = "II"
		case s < 19:
			c.Suffix = "III"
		default:
			c.Suffix = "IV"
		}
	}

	// About 15% go by another name: a nickname of their first name, or
	// otherwise their middle name.
	if g.r.IntN(100) < 15 {
		if nn := nicknames[c.FirstName]; len(nn) > 0 {
			c.PreferredName = nn[g.r.IntN(len(nn))]
		} else {
			if c.MiddleName == "" {
				c.MiddleName = g.middle(gr, msex, c.FirstName, "")
			}
			c.PreferredName = c.MiddleName
		}
	}
}

func (g *gen) age() int {
	w := g.r.IntN(g.ageTotal)
	for _, b := range ageBands {
		if w < b.weight {
			return b.lo + g.r.IntN(b.hi-b.lo+1)
		}
		w -= b.weight
	}
	return 40
}

// dobDay picks a birth date, as days after epoch, that makes the client age
// years old today and that no earlier client with the same first and last
// name has.
func (g *gen) dobDay(age int, first, last string) int {
	for try := 0; ; try++ {
		if try > 0 && try%8 == 0 {
			age = g.age()
		}
		lo, hi := g.ageLo[age], g.ageHi[age]
		day := lo + g.r.IntN(hi-lo+1)
		k := nameKey{first, last, day}
		if _, dup := g.names[k]; !dup {
			g.names[k] = struct{}{}
			return day
		}
	}
}

// yearsBefore is the same date n years before t, or the last day of that
// month when it has no such day (February 29).
func yearsBefore(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	u := time.Date(y-n, m, d, 0, 0, 0, 0, time.UTC)
	if u.Month() != m {
		u = time.Date(y-n, m+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return u
}

func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours()+12) / 24 }

// dateString writes t (UTC) as YYYY-MM-DD.
func dateString(t time.Time) string {
	y, m, d := t.Date()
	var b [10]byte
	b[0] = byte('0' + y/1000)
	b[1] = byte('0' + y/100%10)
	b[2] = byte('0' + y/10%10)
	b[3] = byte('0' + y%10)
	b[4] = '-'
	b[5] = byte('0' + int(m)/10)
	b[6] = byte('0' + int(m)%10)
	b[7] = '-'
	b[8] = byte('0' + d/10)
	b[9] = byte('0' + d%10)
	return string(b[:])
}

// phoneIndex picks one of phones, 512 about twice as often as 737.
func (g *gen) phoneIndex() int {
	i := g.r.IntN(100)
	if g.r.IntN(3) == 0 {
		i += 100
	}
	return i
}

func (g *gen) address(c *clinic.Client, pl Place) {
	c.City, c.State = pl.City, pl.State
	if len(pl.Zips) > 0 {
		c.Zip = pl.Zips[g.r.IntN(len(pl.Zips))]
	}
	if len(pl.Streets) == 0 {
		return
	}
	var num int
	switch s := g.r.IntN(100); {
	case s < 25:
		num = 100 + g.r.IntN(900)
	case s < 80:
		num = 1000 + g.r.IntN(9000)
	default:
		num = 10000 + g.r.IntN(10000)
	}
	b := strconv.AppendInt(g.buf[:0], int64(num), 10)
	b = append(b, ' ')
	b = append(b, pl.Streets[g.r.IntN(len(pl.Streets))]...)
	c.Address1 = string(b)
	if g.r.IntN(100) < 22 {
		switch s := g.r.IntN(10); {
		case s < 7:
			b = append(g.buf[:0], "Apt "...)
			b = strconv.AppendInt(b, int64(100*(1+g.r.IntN(4))+1+g.r.IntN(24)), 10)
		case s < 9:
			b = append(g.buf[:0], "Unit "...)
			b = strconv.AppendInt(b, int64(1+g.r.IntN(40)), 10)
		default:
			b = append(g.buf[:0], "Apt "...)
			b = strconv.AppendInt(b, int64(1+g.r.IntN(12)), 10)
			b = append(b, "ABCD"[g.r.IntN(4)])
		}
		c.Address2 = string(b)
	}
	g.buf = b
}

// appendLower appends the ASCII letters of s, lower-cased.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z':
			b = append(b, ch)
		case ch >= 'A' && ch <= 'Z':
			b = append(b, ch+'a'-'A')
		}
	}
	return b
}

// email makes an address from the client's name and a number, unique in the set.
func (g *gen) email(c *clinic.Client, age int) string {
	first := c.FirstName
	if c.PreferredName != "" && g.r.IntN(3) == 0 {
		first = c.PreferredName
	}
	last := c.LastName
	if i := strings.IndexByte(last, '-'); i > 0 && g.r.IntN(2) == 0 {
		last = last[:i]
	}
	b := g.buf[:0]
	switch s := g.r.IntN(100); {
	case s < 35:
		b = append(appendLower(b, first), '.')
		b = appendLower(b, last)
	case s < 55:
		b = appendLower(appendLower(b, first), last)
	case s < 75:
		b = appendLower(b, first[:1])
		b = appendLower(b, last)
	case s < 85:
		b = append(appendLower(b, first), '_')
		b = appendLower(b, last)
	case s < 95:
		b = appendLower(b, first)
		b = appendLower(b, last[:1])
	default:
		b = append(appendLower(b, last), '.')
		b = appendLower(b, first)
	}
	stem := len(b)
	for try := 0; ; try++ {
		b = b[:stem]
		var num int
		switch s := g.r.IntN(10); {
		case try >= 6:
			num = 1000 + g.r.IntN(9000*(try-5))
		case s < 6:
			num = 1 + g.r.IntN(99)
		case s < 8: // the birth year, as people do
			num = g.today.Year() - age - g.r.IntN(2)
		default:
			num = 100 + g.r.IntN(900)
		}
		b = strconv.AppendInt(b, int64(num), 10)
		b = append(b, '@')
		b = append(b, emailDomains[g.r.IntN(len(emailDomains))]...)
		e := string(b)
		if _, taken := g.emails[e]; !taken {
			g.emails[e] = struct{}{}
			g.buf = b
			return e
		}
	}
}

func (g *gen) emergency(c *clinic.Client, gi int, age int) {
	var rel string
	for {
		w := g.r.IntN(g.relTotal)
		for _, r := range relations {
			if w < r.weight {
				rel = r.name
				break
			}
			w -= r.weight
		}
		switch {
		case rel == "Parent" && age >= 62,
			(rel == "Son" || rel == "Daughter") && age < 38,
			rel == "Spouse" && age < 21:
			continue
		}
		break
	}
	sex := clinic.SexFemale
	if g.r.IntN(2) == 0 {
		sex = clinic.SexMale
	}
	sameLast := 0.0
	switch rel {
	case "Spouse":
		sameLast = 0.75
		if c.Sex != clinic.SexUnknown && g.r.IntN(10) != 0 {
			sex = clinic.SexFemale
			if c.Sex == clinic.SexFemale {
				sex = clinic.SexMale
			}
		}
	case "Parent", "Sibling":
		sameLast = 0.8
	case "Son":
		sex, sameLast = clinic.SexMale, 0.85
	case "Daughter":
		sex, sameLast = clinic.SexFemale, 0.7
	}
	last := c.LastName
	if g.r.Float64() >= sameLast {
		last = g.lastName(gi)
	}
	c.EmergencyName = g.firstName(gi, sex) + " " + last
	c.EmergencyRelation = rel
	p := g.phoneIndex()
	for phones[p] == c.Phone {
		p = g.phoneIndex()
	}
	c.EmergencyPhone = phones[p]
}
