package care

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strings"
	"unicode"

	"github.com/fascia-health/fascia/internal/errs"
)

// Signature is how a client signed: always a typed name, and a drawing
// when the page could offer one.
type Signature struct {
	Kind string // "drawn" or "typed"
	Name string
	PNG  []byte // the drawing, for "drawn"
}

// Limits of a drawn signature: the canvas posts a PNG data URL.
const (
	MaxSignaturePNG    = 200 << 10 // bytes of PNG
	MaxSignatureWidth  = 2000
	MaxSignatureHeight = 1000
	signaturePrefix    = "data:image/png;base64,"
)

// Form field names of the signature.
const (
	FieldSignatureName = "signed_name"
	FieldSignaturePNG  = "signature_png"
)

// DecodeSignature reads a signature as the form posts it: the typed name
// (required) and, when the client drew one, the drawing as a PNG data URL.
// The drawing must really be a PNG of bounded size with something drawn on
// it. It is a pure function of its input, fuzzed in signature_test.go.
func DecodeSignature(name, dataURL string) (Signature, errs.FieldErrors) {
	f := errs.FieldErrors{}
	sig := Signature{Kind: "typed", Name: strings.Join(strings.Fields(name), " ")}
	switch {
	case sig.Name == "":
		f.Add(FieldSignatureName, "Type your full name to sign.")
	case TextProblem(sig.Name, 100, false) != "":
		f.Add(FieldSignatureName, "Type your name as you would sign it, in up to 100 characters.")
	case !strings.ContainsFunc(sig.Name, unicode.IsLetter):
		f.Add(FieldSignatureName, "Type your name in letters.")
	}
	if dataURL = strings.TrimSpace(dataURL); dataURL == "" {
		return sig, f
	}
	b, problem := decodeSignaturePNG(dataURL)
	if problem != "" {
		f.Add(FieldSignaturePNG, problem)
		return sig, f
	}
	sig.Kind, sig.PNG = "drawn", b
	return sig, f
}

func decodeSignaturePNG(dataURL string) ([]byte, string) {
	const again = "The drawn signature could not be read. Clear it and sign again, or type your name only."
	b64, ok := strings.CutPrefix(dataURL, signaturePrefix)
	if !ok {
		return nil, again
	}
	if base64.StdEncoding.DecodedLen(len(b64)) > MaxSignaturePNG+3 {
		return nil, "The drawn signature is too large. Clear it and sign again."
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) == 0 {
		return nil, again
	}
	if len(b) > MaxSignaturePNG {
		return nil, "The drawn signature is too large. Clear it and sign again."
	}
	// The size is checked before the pixels are decoded: a small file can
	// claim an enormous image.
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, again
	}
	if cfg.Width < 20 || cfg.Height < 10 || cfg.Width > MaxSignatureWidth || cfg.Height > MaxSignatureHeight {
		return nil, again
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, again
	}
	if inked(img) < 20 {
		return nil, "The signature box is empty. Sign with your finger or mouse, or clear it and type your name only."
	}
	return b, ""
}

// inked counts the pixels of img that are drawn on (opaque and not white),
// stopping early once there are enough to call it a signature.
func inked(img image.Image) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			if ca > 0x8000 && (cr < 0xc000 || cg < 0xc000 || cb < 0xc000) {
				n++
				if n >= 20 {
					return n
				}
			}
		}
	}
	return n
}

// DataURL is the drawing as a data URL, for showing it again.
func (s Signature) DataURL() string {
	if len(s.PNG) == 0 {
		return ""
	}
	return signaturePrefix + base64.StdEncoding.EncodeToString(s.PNG)
}
