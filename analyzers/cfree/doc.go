// Package cfree defines an Analyzer (being written).
//
// # Analyzer cfree
//
// cfree: placeholder until the check lands
//
// Since: v0.1.0. Default: enabled.
package cfree
