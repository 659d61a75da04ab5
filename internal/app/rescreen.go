package app

import "context"

// rescreeners run whenever something screening depends on changes (an
// intake, a medication list, a prescription). The screening area registers
// itself here, so the intake and prescription areas only call Rescreen.
var rescreeners []func(ctx context.Context, s *App, orgID, clientID int64) error

// RegisterRescreener adds a function Rescreen runs; call it from an init.
func RegisterRescreener(f func(ctx context.Context, s *App, orgID, clientID int64) error) {
	rescreeners = append(rescreeners, f)
}

// Rescreen re-runs contraindication screening for a client.
func (s *App) Rescreen(ctx context.Context, orgID, clientID int64) error {
	for _, f := range rescreeners {
		if err := f(ctx, s, orgID, clientID); err != nil {
			return err
		}
	}
	return nil
}
