package care_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/care"
)

// pngOf encodes a w×h image; inked draws a line across it.
func pngOf(t testing.TB, w, h int, inked bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.White)
		}
	}
	if inked {
		for x := 2; x < w-2; x++ {
			img.Set(x, h/2, color.Black)
			img.Set(x, h/2+1, color.Black)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func dataURL(b []byte) string { return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b) }

func TestDecodeSignature(t *testing.T) {
	good := pngOf(t, 300, 90, true)
	blank := pngOf(t, 300, 90, false)
	transparent := func() []byte {
		var b bytes.Buffer
		png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 300, 90)))
		return b.Bytes()
	}()
	// A tiny file that claims a huge image: refused before decoding pixels.
	huge := func() []byte {
		var b bytes.Buffer
		png.Encode(&b, image.NewGray(image.Rect(0, 0, 5000, 20)))
		return b.Bytes()
	}()
	big := strings.Repeat("A", 300<<10)
	for _, c := range []struct {
		name, typed, url string
		kind             string // "" when an error is wanted
		errField         string
	}{
		{"typed name only", "  Ann   Smith ", "", "typed", ""},
		{"drawn and typed", "Ann Smith", dataURL(good), "drawn", ""},
		{"no name", "", dataURL(good), "", care.FieldSignatureName},
		{"blank name", "   ", "", "", care.FieldSignatureName},
		{"digits only", "12345", "", "", care.FieldSignatureName},
		{"control characters", "Ann\x00Smith", "", "", care.FieldSignatureName},
		{"invalid UTF-8", "Ann \xff", "", "", care.FieldSignatureName},
		{"too long", strings.Repeat("a", 101), "", "", care.FieldSignatureName},
		{"not a data URL", "Ann", "https://evil.example/x.png", "", care.FieldSignaturePNG},
		{"JPEG data URL", "Ann", "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(good), "", care.FieldSignaturePNG},
		{"bad base64", "Ann", "data:image/png;base64,!!!!", "", care.FieldSignaturePNG},
		{"not a PNG", "Ann", dataURL([]byte("GIF89a not a png at all")), "", care.FieldSignaturePNG},
		{"truncated PNG", "Ann", dataURL(good[:len(good)/2]), "", care.FieldSignaturePNG},
		{"blank canvas", "Ann", dataURL(blank), "", care.FieldSignaturePNG},
		{"transparent canvas", "Ann", dataURL(transparent), "", care.FieldSignaturePNG},
		{"claims 5000 pixels wide", "Ann", dataURL(huge), "", care.FieldSignaturePNG},
		{"too large", "Ann", "data:image/png;base64," + big, "", care.FieldSignaturePNG},
		{"tiny image", "Ann", dataURL(pngOf(t, 10, 5, true)), "", care.FieldSignaturePNG},
	} {
		sig, f := care.DecodeSignature(c.typed, c.url)
		if c.kind != "" {
			if len(f) != 0 || sig.Kind != c.kind {
				t.Errorf("%s: kind %q, errors %v; want %s and no error", c.name, sig.Kind, f, c.kind)
			}
			continue
		}
		if f[c.errField] == "" {
			t.Errorf("%s: errors %v, want one on %s", c.name, f, c.errField)
		}
	}
	sig, _ := care.DecodeSignature(" Ann \t Smith ", dataURL(good))
	if sig.Name != "Ann Smith" || !bytes.Equal(sig.PNG, good) || sig.DataURL() != dataURL(good) {
		t.Errorf("decoded %q, %d bytes", sig.Name, len(sig.PNG))
	}
}

func FuzzDecodeSignature(f *testing.F) {
	good := pngOf(f, 300, 90, true)
	f.Add("Ann Smith", dataURL(good))
	f.Add("", "")
	f.Add("Ann", "data:image/png;base64,")
	f.Add("Ann", dataURL(good[:40]))
	f.Add("\xff", "data:image/png;base64,iVBORw0KGgo=")
	f.Fuzz(func(t *testing.T, name, url string) {
		sig, errs := care.DecodeSignature(name, url)
		if len(errs) > 0 {
			return
		}
		// What is accepted is storable and bounded.
		if care.TextProblem(sig.Name, 100, false) != "" || sig.Name == "" {
			t.Fatalf("accepted name %q", sig.Name)
		}
		switch sig.Kind {
		case "typed":
			if len(sig.PNG) != 0 {
				t.Fatal("typed signature with a drawing")
			}
		case "drawn":
			if len(sig.PNG) == 0 || len(sig.PNG) > care.MaxSignaturePNG {
				t.Fatalf("drawn signature of %d bytes", len(sig.PNG))
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(sig.PNG))
			if err != nil || cfg.Width > care.MaxSignatureWidth || cfg.Height > care.MaxSignatureHeight {
				t.Fatalf("accepted a drawing that is not a bounded PNG: %v %+v", err, cfg)
			}
			// Decoding what was accepted accepts it again.
			again, errs := care.DecodeSignature(sig.Name, sig.DataURL())
			if len(errs) > 0 || !bytes.Equal(again.PNG, sig.PNG) {
				t.Fatalf("round trip: %v", errs)
			}
		default:
			t.Fatalf("kind %q", sig.Kind)
		}
	})
}
