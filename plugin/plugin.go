// Package plugin registers cgolint as a golangci-lint v2 module plugin
// named "cgolint".
//
// Build a golangci-lint binary that includes it with `golangci-lint custom`
// and a .custom-gcl.yml such as:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/cgolint/cgolint
//	    import: github.com/cgolint/cgolint/plugin
//	    version: v0.1.0
//
// then enable it in .golangci.yml (see .golangci.example.yml at the root
// of the repository):
//
//	version: "2"
//	linters:
//	  enable: [cgolint]
//	  settings:
//	    custom:
//	      cgolint:
//	        type: module
//	        description: hazards of calling C from Go
//	        settings:
//	          disable: [cblocking, lockthread/thread-affine]
//	          exclude: [internal/gen/**]
//	          functions:
//	            - name: xmlFree
//	              frees: [0]
//
// The settings are the same schema as the cgolint -config file (package
// github.com/cgolint/cgolint/passes/config), with the same strictness: an
// unknown key or a check name that does not exist is an error that names it.
package plugin

import (
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/config"
)

// Name is the plugin's name in golangci-lint's configuration.
const Name = "cgolint"

func init() {
	register.Plugin(Name, New)
}

// Plugin is cgolint's golangci-lint plugin.
type Plugin struct {
	cfg *config.Config
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes golangci-lint's settings for the plugin (nil when there are
// none) into cgolint's configuration.
func New(settings any) (register.LinterPlugin, error) {
	cfg, err := config.FromSettings(settings)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(analyzers.Known()); err != nil {
		return nil, err
	}
	return &Plugin{cfg: cfg}, nil
}

// BuildAnalyzers returns the checks of the suite that the settings leave
// enabled.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var out []*analysis.Analyzer
	for _, a := range analyzers.Suite(p.cfg) {
		if p.cfg.Enabled(a.Name) {
			out = append(out, a)
		}
	}
	return out, nil
}

// GetLoadMode returns register.LoadModeTypesInfo: the checks need types.
func (*Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
