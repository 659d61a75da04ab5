package clinic

import (
	"sync"
	"time"
)

var zones sync.Map // name → *time.Location

// Zone is the IANA time zone name as a location, or UTC for a name that is
// not one. time.LoadLocation reads the zone file each time, and pages and
// date rules ask for the clinic's zone on nearly every request.
func Zone(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, l)
	return l
}
