package demo

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
)

// The demo clinic's directory: fictional prescribers and referral sources
// around Austin. Phones are in the 555-01XX range set aside for fiction;
// NPIs are made up and carry a correct check digit (NPI below).
var demoPhysicians = []clinic.Physician{
	{Kind: clinic.KindPhysician, Name: "Sarah Kim", Credentials: "MD", Specialty: "Family medicine", NPI: NPI("164829173"),
		Practice: "Barton Springs Family Medicine", Phone: "(512) 555-0142", Fax: "(512) 555-0143",
		Address1: "1600 W 38th St, Suite 300", City: "Austin", State: "TX", Zip: "78731"},
	{Kind: clinic.KindPhysician, Name: "Marcus Bell", Credentials: "DO", Specialty: "Physical medicine and rehabilitation", NPI: NPI("138820456"),
		Practice: "Capital Spine & Rehabilitation", Phone: "(512) 555-0151", Fax: "(512) 555-0152",
		Address1: "4301 James Casey St, Suite 110", City: "Austin", State: "TX", Zip: "78745"},
	{Kind: clinic.KindPhysician, Name: "Elena Vasquez", Credentials: "MD", Specialty: "Orthopedic surgery", NPI: NPI("151093388"),
		Practice: "Hill Country Orthopedics", Phone: "(737) 555-0118", Fax: "(737) 555-0119",
		Address1: "2000 Round Rock Ave, Suite 220", City: "Round Rock", State: "TX", Zip: "78681"},
	{Kind: clinic.KindPhysician, Name: "Priya Raman", Credentials: "MD", Specialty: "Neurology", NPI: NPI("176904215"),
		Practice: "Central Texas Neurology Associates", Phone: "(512) 555-0164", Fax: "(512) 555-0165",
		Address1: "3705 Medical Pkwy, Suite 420", City: "Austin", State: "TX", Zip: "78705"},
	{Kind: clinic.KindPhysician, Name: "David Okafor", Credentials: "PA-C", Specialty: "Occupational medicine", NPI: NPI("120517736"),
		Practice: "Northside Occupational Health", Phone: "(512) 555-0177", Fax: "(512) 555-0178",
		Address1: "12201 Renfert Way, Suite 150", City: "Austin", State: "TX", Zip: "78758"},
	{Kind: clinic.KindChiropractor, Name: "Luis Ortega", Credentials: "DC", Specialty: "Chiropractic", NPI: NPI("193361047"),
		Practice: "Ortega Family Chiropractic", Phone: "(737) 555-0125", Fax: "(737) 555-0126",
		Address1: "601 E Palm Valley Blvd, Suite 5", City: "Round Rock", State: "TX", Zip: "78664"},
	{Kind: clinic.KindPhysicalTherapist, Name: "Hannah Brooks", Credentials: "PT, DPT", Specialty: "Orthopedic physical therapy", NPI: NPI("117258804"),
		Practice: "Eastside Motion Physical Therapy", Phone: "(512) 555-0188", Fax: "(512) 555-0189",
		Address1: "1819 E 7th St", City: "Austin", State: "TX", Zip: "78702"},
	{Kind: clinic.KindOtherSource, Name: "Lady Bird Lake Running Club", Specialty: "Community running group",
		Phone: "(512) 555-0194", City: "Austin", State: "TX", Zip: "78704"},
}

// NPI appends the check digit to nine digits: a made-up NPI that passes
// the Luhn check, for demo and test data.
func NPI(nine string) string { return nine + string(clinic.NPICheckDigit(nine)) }

// referralWeights says how often each source of demoPhysicians refers:
// the family doctor and the chiropractor most, the running club a few.
var referralWeights = []int{9, 5, 3, 2, 2, 7, 4, 2}

func init() {
	Register(Seeder{Name: "physicians, referrals and prescriptions", Order: 40, Seed: func(ctx context.Context, env *SeedEnv) error {
		ps, err := seedPhysicians(ctx, env)
		if err != nil {
			return err
		}
		return seedPrescriptions(ctx, env, ps)
	}})
}

// byID orders clients as they were created, so the demo data lands on the
// same clients every time (/clients/3 is always the same person).
func byID(cs []clinic.Client) []clinic.Client {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b clinic.Client) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// seedPhysicians fills the directory and records who referred most demo
// clients, spread over the last twelve months.
func seedPhysicians(ctx context.Context, env *SeedEnv) ([]clinic.Physician, error) {
	a := env.App
	var ps []clinic.Physician
	for _, p := range demoPhysicians {
		p := p
		if err := a.CreatePhysician(ctx, env.Owner, &p); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	var pick []int
	for i, w := range referralWeights {
		for range w {
			pick = append(pick, i)
		}
	}
	today, err := time.Parse(clinic.DateLayout, a.ClinicDate(env.Owner))
	if err != nil {
		return nil, err
	}
	for i, c := range byID(env.Clients) {
		if i%6 == 5 {
			continue // walk-ins and word of mouth: no referral on record
		}
		src := ps[pick[(i*7)%len(pick)]]
		on := today.AddDate(0, 0, -((i*37)%350 + 3))
		r := &clinic.Referral{ClientID: c.ID, PhysicianID: src.ID, ReferredOn: on.Format(clinic.DateLayout)}
		if err := a.SetReferral(ctx, env.Owner, r); err != nil {
			return nil, err
		}
	}
	return ps, nil
}
