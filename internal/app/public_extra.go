package app

// WaitingFor is the service the waiting client asked for: the time offered
// is booked for it, which may not be the freed appointment's service.
func (o *WaitlistOffer) WaitingFor() string { return o.entry.ServiceName }
