package ship

import (
	"crypto/tls"
	"io"
	"net/http"
)

// Clamp limits v to the closed interval [lo, hi].
func Clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// HasDuplicate reports whether any container id repeats.
func HasDuplicate(ids []string) bool {
	seen := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		if _, ok := seen[id]; ok {
			return true
		}
		seen[id] = struct{}{}
	}
	return false
}

// Checksum sums all bytes read from r.
func Checksum(r io.Reader) (uint32, error) {
	var sum uint32
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			sum += uint32(b)
		}
		if err == io.EOF {
			return sum, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// NewClient returns an HTTP client for the registry.
func NewClient() *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	return &http.Client{Transport: tr}
}

func W(s []int) (int, int) {
	a, b := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i]%2 == 0 {
			a += s[i]
		} else {
			b += s[i]
		}
	}
	return a, b
}
