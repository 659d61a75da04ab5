package demo

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
)

var (
	testToday      = time.Date(2026, 3, 14, 15, 4, 5, 0, time.FixedZone("CDT", -5*3600))
	testLocations  = []int64{101, 102}
	testTherapists = map[int64][]int64{101: {11, 12, 13}, 102: {21, 22}}
	testPlaces     = map[int64]Place{101: Austin, 102: RoundRock}
)

func makeClients(n int, seed int64) []clinic.Client {
	return Clients(n, seed, testLocations, testTherapists, testPlaces, testToday)
}

func TestClientsDeterministic(t *testing.T) {
	a, b := makeClients(2000, 42), makeClients(2000, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different clients")
	}
	c := makeClients(2000, 43)
	same := 0
	for i := range a {
		if a[i].FirstName == c[i].FirstName && a[i].LastName == c[i].LastName && a[i].DOB == c[i].DOB {
			same++
		}
	}
	if same > 20 {
		t.Errorf("seeds 42 and 43 agree on %d of %d clients", same, len(a))
	}
	// A prefix of a larger set is not promised, but a smaller n must still work.
	if got := makeClients(0, 1); got != nil {
		t.Errorf("n=0 gave %d clients", len(got))
	}
	if got := makeClients(1, 1); len(got) != 1 {
		t.Errorf("n=1 gave %d clients", len(got))
	}
}

func nameSets() (female, male, uni map[string]bool) {
	female, male, uni = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		for _, f := range g.female {
			female[f] = true
		}
		for _, m := range g.male {
			male[m] = true
		}
	}
	for _, u := range unisex {
		uni[u] = true
	}
	return
}

func TestNameLists(t *testing.T) {
	female, male, uni := nameSets()
	for n := range female {
		if male[n] || uni[n] {
			t.Errorf("first name %q is in more than one sex's list", n)
		}
	}
	for n := range male {
		if uni[n] {
			t.Errorf("first name %q is both male and unisex", n)
		}
	}
	if k := len(female) + len(male) + len(uni); k < 150 {
		t.Errorf("only %d first names", k)
	}
	last := map[string]bool{}
	for _, g := range groups {
		for _, l := range g.last {
			if last[l] {
				t.Errorf("last name %q listed twice", l)
			}
			last[l] = true
		}
		if len(g.female) == 0 || len(g.male) == 0 || len(g.last) == 0 {
			t.Errorf("a group has an empty list: %+v", g)
		}
	}
	if len(last) < 200 {
		t.Errorf("only %d last names", len(last))
	}
	for first, nn := range nicknames {
		if !female[first] && !male[first] && !uni[first] {
			t.Errorf("nickname entry %q is not a first name in the lists", first)
		}
		for _, n := range nn {
			if n == first || n == "" {
				t.Errorf("nickname %q of %q", n, first)
			}
		}
	}
	for _, p := range []Place{Austin, RoundRock} {
		if p.City == "" || p.State != "TX" || len(p.Zips) == 0 || len(p.Streets) == 0 {
			t.Errorf("place %+v is incomplete", p)
		}
		for _, z := range p.Zips {
			if !regexp.MustCompile(`^78\d{3}$`).MatchString(z) {
				t.Errorf("%s ZIP %q", p.City, z)
			}
		}
	}
}

var (
	phoneRE   = regexp.MustCompile(`^\((512|737)\) 555-01\d\d$`)
	addressRE = regexp.MustCompile(`^[1-9]\d{2,4} [A-Z][A-Za-z ]+$`)
	apartRE   = regexp.MustCompile(`^(Apt|Unit) \d+[A-D]?$`)
	emailRE   = regexp.MustCompile(`^[a-z][a-z._-]*[a-z]\d+@example\.(com|org|net)$`)
)

func TestClientsValid(t *testing.T) {
	female, male, uni := nameSets()
	today := time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	for _, seed := range []int64{1, 2, 3} {
		cs := makeClients(20000, seed)
		for i := range cs {
			c := cs[i]
			before := c
			if err := c.Validate(testToday); err != nil {
				t.Fatalf("seed %d client %d %+v: %v", seed, i, before, err)
			}
			if !reflect.DeepEqual(c, before) {
				t.Fatalf("seed %d client %d changed on Normalize:\n%+v\n%+v", seed, i, before, c)
			}
			if a := c.Age(today); a < 18 || a > 85 {
				t.Errorf("client %d is %d years old (DOB %s)", i, a, c.DOB)
			}
			switch {
			case female[c.FirstName]:
				if c.Sex != clinic.SexFemale {
					t.Errorf("%s has sex %s", c.FirstName, c.Sex)
				}
			case male[c.FirstName]:
				if c.Sex != clinic.SexMale {
					t.Errorf("%s has sex %s", c.FirstName, c.Sex)
				}
			case uni[c.FirstName]:
			default:
				t.Errorf("first name %q is in no list", c.FirstName)
			}
			if c.Suffix != "" && c.Sex != clinic.SexMale {
				t.Errorf("%s has suffix %s", c.LegalName(), c.Suffix)
			}
			if c.PreferredName == c.FirstName {
				t.Errorf("%s: preferred name equals first name", c.LegalName())
			}
			if !slices.Contains(testLocations, c.PreferredLocationID) {
				t.Errorf("location %d", c.PreferredLocationID)
			}
			if c.PreferredTherapistID != 0 && !slices.Contains(testTherapists[c.PreferredLocationID], c.PreferredTherapistID) {
				t.Errorf("therapist %d is not at location %d", c.PreferredTherapistID, c.PreferredLocationID)
			}
			p := testPlaces[c.PreferredLocationID]
			if c.City != p.City || c.State != p.State || !slices.Contains(p.Zips, c.Zip) {
				t.Errorf("address %s, %s %s is not in %s", c.City, c.State, c.Zip, p.City)
			}
			if !addressRE.MatchString(c.Address1) || (c.Address2 != "" && !apartRE.MatchString(c.Address2)) {
				t.Errorf("address %q / %q", c.Address1, c.Address2)
			}
			if !emailRE.MatchString(c.Email) {
				t.Errorf("email %q", c.Email)
			}
			if (c.EmergencyName == "") != (c.EmergencyPhone == "") || (c.EmergencyName == "") != (c.EmergencyRelation == "") {
				t.Errorf("partial emergency contact %q %q %q", c.EmergencyName, c.EmergencyPhone, c.EmergencyRelation)
			}
			if c.EmergencyPhone != "" && c.EmergencyPhone == c.Phone {
				t.Errorf("%s: emergency phone is the client's own", c.LegalName())
			}
			if c.ID != 0 || c.OrgID != 0 || c.Version != 0 || !c.CreatedAt.IsZero() {
				t.Errorf("store fields set: %+v", c)
			}
		}
	}
}

func TestClientsLeapDay(t *testing.T) {
	for _, today := range []time.Time{
		time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC),
	} {
		cs := Clients(20000, 7, testLocations, nil, nil, today)
		for i := range cs {
			if a := cs[i].Age(today); a < 18 || a > 85 {
				t.Fatalf("today %s: client %d born %s is %d", today.Format(clinic.DateLayout), i, cs[i].DOB, a)
			}
			if err := cs[i].Validate(today); err != nil {
				t.Fatal(err)
			}
			if cs[i].City != "Austin" || cs[i].PreferredTherapistID != 0 {
				t.Fatalf("without places or therapists: %+v", cs[i])
			}
		}
	}
}

func TestClientsEmailsUnique(t *testing.T) {
	cs := makeClients(100000, 9)
	seen := make(map[string]int, len(cs))
	for i, c := range cs {
		e := clinic.NormalizeEmail(c.Email)
		if j, dup := seen[e]; dup {
			t.Fatalf("clients %d and %d share %s", j, i, e)
		}
		seen[e] = i
	}
}

func TestClientsPhones(t *testing.T) {
	areas := map[string]int{}
	for _, c := range makeClients(20000, 5) {
		if !phoneRE.MatchString(c.Phone) {
			t.Fatalf("phone %q is outside 555-0100..0199", c.Phone)
		}
		if c.EmergencyPhone != "" && !phoneRE.MatchString(c.EmergencyPhone) {
			t.Fatalf("emergency phone %q is outside 555-0100..0199", c.EmergencyPhone)
		}
		areas[c.Phone[1:4]]++
	}
	if areas["512"] == 0 || areas["737"] == 0 {
		t.Errorf("area codes %v", areas)
	}
}

func TestClientsDistribution(t *testing.T) {
	const n = 20000
	cs := makeClients(n, 11)
	var (
		loc          = map[int64]int{}
		status       = map[clinic.ClientStatus]int{}
		sex          = map[clinic.Sex]int{}
		relation     = map[string]int{}
		preferred    int
		middle       int
		suffix       int
		hyphen       int
		apostrophe   int
		apartment    int
		emergency    int
		therapist    int
		over75       int
		under25      int
		firstNames   = map[string]bool{}
		lastNames    = map[string]bool{}
		emailDomains = map[string]int{}
	)
	for _, c := range cs {
		loc[c.PreferredLocationID]++
		status[c.Status]++
		sex[c.Sex]++
		firstNames[c.FirstName] = true
		lastNames[c.LastName] = true
		emailDomains[c.Email[strings.IndexByte(c.Email, '@')+1:]]++
		if c.PreferredName != "" {
			preferred++
		}
		if c.MiddleName != "" {
			middle++
		}
		if c.Suffix != "" {
			suffix++
		}
		if strings.Contains(c.LastName, "-") {
			hyphen++
		}
		if strings.Contains(c.LastName, "'") {
			apostrophe++
		}
		if c.Address2 != "" {
			apartment++
		}
		if c.EmergencyName != "" {
			emergency++
			relation[c.EmergencyRelation]++
		}
		if c.PreferredTherapistID != 0 {
			therapist++
		}
		switch a := c.Age(testToday); {
		case a >= 75:
			over75++
		case a < 25:
			under25++
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	within := func(what string, k int, lo, hi float64) {
		t.Helper()
		if s := share(k); s < lo || s > hi {
			t.Errorf("%s: %.3f, want %.2f..%.2f", what, s, lo, hi)
		}
	}
	within("first location", loc[101], 0.56, 0.64)
	within("second location", loc[102], 0.36, 0.44)
	within("preferred names", preferred, 0.12, 0.18)
	within("middle names", middle, 0.35, 0.75)
	within("suffixes", suffix, 0.003, 0.03)
	within("hyphenated last names", hyphen, 0.01, 0.08)
	within("apostrophes", apostrophe, 0.001, 0.05)
	within("apartments", apartment, 0.15, 0.3)
	within("emergency contacts", emergency, 0.8, 0.9)
	within("preferred therapists", therapist, 0.75, 0.85)
	within("active", status[clinic.StatusActive], 0.75, 0.92)
	within("inactive", status[clinic.StatusInactive], 0.05, 0.2)
	within("discharged", status[clinic.StatusDischarged], 0.01, 0.08)
	within("female", sex[clinic.SexFemale], 0.5, 0.7)
	within("male", sex[clinic.SexMale], 0.3, 0.5)
	within("aged 75 to 85", over75, 0.01, 0.1)
	within("under 25", under25, 0.03, 0.15)
	if sex[clinic.SexUnknown] == 0 {
		t.Error("no client has sex U")
	}
	for _, r := range []string{"Spouse", "Parent", "Sibling", "Friend", "Partner", "Son", "Daughter"} {
		if relation[r] == 0 {
			t.Errorf("no emergency contact is a %s", r)
		}
	}
	for _, d := range []string{"example.com", "example.org", "example.net"} {
		if emailDomains[d] == 0 {
			t.Errorf("no email at %s", d)
		}
	}
	if len(emailDomains) != 3 {
		t.Errorf("email domains %v", emailDomains)
	}
	if len(firstNames) < 150 || len(lastNames) < 200 {
		t.Errorf("%d first names and %d last names in use", len(firstNames), len(lastNames))
	}
}

// With the load harness's 100,000 clients a three-letter last-name search
// finds a few hundred, not tens of thousands.
func TestClientsNameSpread(t *testing.T) {
	cs := makeClients(100000, 13)
	prefix := map[string]int{}
	pairs := map[[2]string]int{}
	for _, c := range cs {
		l := strings.ToLower(c.LastName)
		if len(l) >= 3 {
			prefix[l[:3]]++
		}
		pairs[[2]string{c.FirstName, c.LastName}]++
	}
	most, mostP := 0, ""
	for p, k := range prefix {
		if k > most {
			most, mostP = k, p
		}
	}
	if most > 1000 {
		t.Errorf("%d clients have a last name starting %q", most, mostP)
	}
	if len(prefix) < 250 {
		t.Errorf("only %d three-letter last-name prefixes", len(prefix))
	}
	for p, k := range pairs {
		if k > 40 {
			t.Errorf("%d clients are named %s %s", k, p[0], p[1])
		}
	}
	if len(pairs) < 40000 {
		t.Errorf("only %d distinct (first, last) pairs in 100,000 clients", len(pairs))
	}
}

func TestClientsOneDuplicate(t *testing.T) {
	type key struct{ first, last, dob string }
	for _, n := range []int{1, 19, 20, 21, 57, 1000, 100000} {
		for _, seed := range []int64{1, 2, 3, 4} {
			if n == 100000 && seed > 1 {
				continue
			}
			cs := makeClients(n, seed)
			byKey := map[key][]int{}
			for i, c := range cs {
				k := key{c.FirstName, c.LastName, c.DOB}
				byKey[k] = append(byKey[k], i)
			}
			var dups [][]int
			for _, is := range byKey {
				if len(is) > 1 {
					dups = append(dups, is)
				}
			}
			if n < 20 {
				if len(dups) != 0 {
					t.Errorf("n=%d seed %d: %d duplicate groups, want none", n, seed, len(dups))
				}
				continue
			}
			if len(dups) != 1 || len(dups[0]) != 2 {
				t.Errorf("n=%d seed %d: duplicate groups %v, want exactly one pair", n, seed, dups)
				continue
			}
			a, b := cs[dups[0][0]], cs[dups[0][1]]
			if a.MiddleName == "" || b.MiddleName == "" || a.MiddleName == b.MiddleName {
				t.Errorf("n=%d seed %d: duplicate pair middle names %q and %q", n, seed, a.MiddleName, b.MiddleName)
			}
			if a.Sex != b.Sex || a.Suffix != b.Suffix || a.Email == b.Email {
				t.Errorf("n=%d seed %d: pair %+v / %+v", n, seed, a, b)
			}
		}
	}
}

func TestClientsOneLocation(t *testing.T) {
	for _, c := range Clients(500, 3, []int64{7}, map[int64][]int64{7: {70}}, map[int64]Place{7: RoundRock}, testToday) {
		if c.PreferredLocationID != 7 || c.City != "Round Rock" || (c.PreferredTherapistID != 0 && c.PreferredTherapistID != 70) {
			t.Fatalf("%+v", c)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic without locations")
		}
	}()
	Clients(5, 1, nil, nil, nil, testToday)
}

func BenchmarkClients100k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		makeClients(100000, 1)
	}
}
