package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
)

// The bulk fill writes the rows store.CreateClient would write, many per
// INSERT statement: CreateClient spends most of its time preparing its three
// statements per client (modernc's SQLite does not cache prepared statements),
// which makes 100,000 clients take the better part of a minute on SQLite and
// longer on PostgreSQL. The columns and search keys below mirror
// CreateClient; checkBulk compares them with a row CreateClient wrote, so a
// change there that this file misses fails the run instead of skewing it.

const bulkCols = `org_id, first_name, middle_name, last_name, suffix, preferred_name, dob, sex, address1, address2, city, state, zip, phone, email,
	emergency_name, emergency_phone, emergency_relation, preferred_location_id, preferred_therapist_id, status, version, created_at, updated_at,
	first_key, last_key, preferred_key, email_key, phone_digits`

const bulkNCols = 29

// searchKey is store's key(): how names are lower-cased for prefix search.
func searchKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// bulkKeys are the search keys CreateClient stores for c.
func bulkKeys(c *clinic.Client) [5]string {
	return [5]string{searchKey(c.FirstName), searchKey(c.LastName), searchKey(c.PreferredName), c.Email, clinic.Digits(c.Phone)}
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// bulkInsert validates cs (as CreateClient does) and inserts them in
// multi-row statements inside tx, setting each one's ID, Version and times.
// Emails are unique in a demo.Clients set, which maps RETURNING rows back.
func bulkInsert(ctx context.Context, db *store.DB, tx *sql.Tx, cs []clinic.Client, perStmt int) error {
	now := db.Now()
	ms := now.UnixMilli()
	for lo := 0; lo < len(cs); lo += perStmt {
		hi := min(lo+perStmt, len(cs))
		var b strings.Builder
		b.WriteString("INSERT INTO clients (" + bulkCols + ") VALUES ")
		args := make([]any, 0, (hi-lo)*bulkNCols)
		byEmail := make(map[string]*clinic.Client, hi-lo)
		for i := lo; i < hi; i++ {
			c := &cs[i]
			if err := c.Validate(now); err != nil {
				return fmt.Errorf("client %d (%s %s): %w", i, c.FirstName, c.LastName, err)
			}
			if _, dup := byEmail[c.Email]; dup || c.Email == "" {
				return fmt.Errorf("client %d: email %q is empty or not unique in its statement", i, c.Email)
			}
			byEmail[c.Email] = c
			k := bulkKeys(c)
			if i > lo {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			n := len(args)
			for j := 1; j <= bulkNCols; j++ {
				if j > 1 {
					b.WriteString(", ")
				}
				// SQLite looks "$n" up by name, which is quadratic in a
				// statement of thousands; "?" is positional.
				if db.Engine == store.SQLite {
					b.WriteByte('?')
				} else {
					b.WriteString("$" + strconv.Itoa(n+j))
				}
			}
			b.WriteByte(')')
			args = append(args, c.OrgID, c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.PreferredName, c.DOB, string(c.Sex), c.Address1, c.Address2, c.City, c.State, c.Zip, c.Phone, c.Email,
				c.EmergencyName, c.EmergencyPhone, c.EmergencyRelation, c.PreferredLocationID, nullable(c.PreferredTherapistID), string(c.Status), 1, ms, ms,
				k[0], k[1], k[2], k[3], k[4])
			c.Version, c.CreatedAt, c.UpdatedAt = 1, now.UTC(), now.UTC()
		}
		b.WriteString(" RETURNING id, email")
		rows, err := tx.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		got := 0
		for rows.Next() {
			var id int64
			var email string
			if err := rows.Scan(&id, &email); err != nil {
				rows.Close()
				return err
			}
			c, ok := byEmail[email]
			if !ok {
				rows.Close()
				return fmt.Errorf("insert returned an unknown email %q", email)
			}
			c.ID = id
			got++
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if got != hi-lo {
			return fmt.Errorf("insert returned %d rows for %d clients", got, hi-lo)
		}
	}
	return nil
}

// checkBulk makes sure bulk rows are the rows CreateClient writes: ref was
// stored by CreateClient, and its search keys must be the ones bulkKeys
// computes; sample were bulk-inserted, and the store must read them back as
// they were generated and find each by its email.
func checkBulk(ctx context.Context, db *store.DB, orgID int64, ref *clinic.Client, sample []clinic.Client) error {
	var k [5]string
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT first_key, last_key, preferred_key, email_key, phone_digits FROM clients WHERE id = $1", ref.ID).Scan(&k[0], &k[1], &k[2], &k[3], &k[4])
	})
	if err != nil {
		return err
	}
	if want := bulkKeys(ref); k != want {
		return fmt.Errorf("store.CreateClient stored search keys %q where the bulk fill writes %q: update bulk.go", k, want)
	}
	for i := range sample {
		want := sample[i]
		got, err := db.Client(ctx, orgID, want.ID)
		if err != nil {
			return fmt.Errorf("bulk client %d: %w", want.ID, err)
		}
		got.CreatedAt, got.UpdatedAt = want.CreatedAt, want.UpdatedAt // stored in milliseconds
		if *got != want {
			return fmt.Errorf("bulk client %d reads back as %+v, not %+v", want.ID, *got, want)
		}
		cs, err := db.SearchClients(ctx, orgID, clinic.ClientFilter{Query: want.Email, Limit: 50})
		if err != nil {
			return err
		}
		found := false
		for _, c := range cs {
			found = found || c.ID == want.ID
		}
		if !found {
			return fmt.Errorf("bulk client %d is not found by its email", want.ID)
		}
	}
	return nil
}
