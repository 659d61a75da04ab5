package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/testsrv"
)

// touch sends one touch event (a start or move at x, y; an end).
func touch(typ input.DispatchTouchEventType, x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		p := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
		if typ != input.DispatchTouchEventTypeTouchEnd {
			p.TouchPoints = []*input.TouchPoint{{X: x, Y: y}}
		}
		_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, p)
		return err
	})
}

// TestBrowserCalendarTouch: on a tablet, holding an appointment picks it
// up and the finger moves it; a swipe that starts on it scrolls and moves
// nothing.
func TestBrowserCalendarTouch(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		e := calSetup(t, s)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		tb := newBrowserTab(t, s, 768, 1024)
		tb.signIn(testsrv.FrontDesk)
		tb.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1})
			return err
		}))
		tb.open("/calendar?location=" + id(s.Downtown.ID) + "&day=" + e.day)
		tb.waitJS(`document.readyState === "complete" && !!document.querySelector(".cal-a[data-movable]")`, "the calendar")
		sel := `document.querySelector('a.cal-a[href="/appointments/` + id(a.ID) + `"]')`
		rect := func() []float64 {
			return browserEval[[]float64](tb, `(() => { const el = `+sel+`; el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
		}
		unit := browserEval[float64](tb, `parseFloat(getComputedStyle(document.querySelector(".cal-page")).getPropertyValue("--u"))`)
		move := func(x, y, dy float64, hold time.Duration) {
			steps := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, x, y), chromedp.Sleep(hold)}
			for i := 1; i <= 10; i++ {
				steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, x, y+dy*float64(i)/10), chromedp.Sleep(15*time.Millisecond))
			}
			steps = append(steps, touch(input.DispatchTouchEventTypeTouchEnd, 0, 0))
			tb.do(steps...)
		}

		// A swipe at once: no appointment moves.
		r := rect()
		move(r[0]+r[2]/2, r[1]+8, 12*unit, 0)
		tb.do(chromedp.Sleep(600 * time.Millisecond))
		if got := e.stored(t, a.ID); !got.Start.Equal(e.at(t, "", "09:00")) {
			t.Fatalf("a swipe moved the appointment to %s", got.Start.In(e.zone))
		}
		if browserEval[bool](tb, `!!document.querySelector(".cal-ghost, .cal-a.lifted")`) {
			t.Error("a swipe left a block picked up")
		}

		// Held, then moved an hour down: 12 five-minute units.
		r = rect()
		move(r[0]+r[2]/2, r[1]+8, 12*unit, 700*time.Millisecond)
		tb.waitJS(`!document.querySelector(".cal-toast").hidden && /Moved to 10:00–11:00/.test(document.querySelector(".cal-toast").textContent)`, "the move's toast")
		if got := e.stored(t, a.ID); !got.Start.Equal(e.at(t, "", "10:00")) || got.End.Sub(got.Start) != time.Hour {
			t.Fatalf("moved to %s for %s, want 10:00 for an hour", got.Start.In(e.zone), got.End.Sub(got.Start))
		}
		if browserEval[string](tb, `location.pathname`) != "/calendar" {
			t.Error("the move opened the appointment")
		}
	})
}
