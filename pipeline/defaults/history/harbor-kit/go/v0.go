package ship

import (
	"crypto/tls"
	"io"
	"io/ioutil"
	"net/http"
)

// Clamp limits v to the closed interval [lo, hi].
func Clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return v
	}
	return v
}

// HasDuplicate reports whether any container id repeats.
func HasDuplicate(ids []string) bool {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if ids[i] == ids[j] {
				return true
			}
		}
	}
	return false
}

// Checksum sums all bytes read from r.
func Checksum(r io.Reader) (uint32, error) {
	data, err := ioutil.ReadAll(r)
	if err != nil {
		return 0, err
	}
	var sum uint32
	for _, b := range data {
		sum += uint32(b)
	}
	return sum, nil
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
