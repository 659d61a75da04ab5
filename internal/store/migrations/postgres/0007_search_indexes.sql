-- Client search reads first-name and preferred-name matches in the order it
-- shows them (then by last name), so each tier stops at the page size
-- instead of sorting every match.
DROP INDEX clients_first;
DROP INDEX clients_preferred;
CREATE INDEX clients_first ON clients(org_id, first_key, last_key);
CREATE INDEX clients_preferred ON clients(org_id, preferred_key, last_key);
