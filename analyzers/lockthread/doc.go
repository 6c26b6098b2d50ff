// Package lockthread defines an Analyzer (being written).
//
// # Analyzer lockthread
//
// lockthread: placeholder until the check lands
//
// Since: v0.1.0. Default: enabled.
package lockthread
