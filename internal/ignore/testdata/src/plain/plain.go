package plain

func hazard() {}

func f() {
	hazard() // want `call of hazard`

	//cgolint:ignore toy the line above covers this call
	hazard()

	hazard() //cgolint:ignore toy a trailing directive covers its own line

	hazard() //cgolint:ignore other,toy a list of checks

	hazard() //cgolint:ignore all every check

	//cgolint:ignore toy only the next line is covered

	hazard() // want `call of hazard`

	hazard() /* want `call of hazard` */ //cgolint:ignore other another check's directive

	hazard() /* want `call of hazard` */ //cgolint:ignore toy

	hazard() /* want `call of hazard` */ // cgolint:ignore toy a space after the slashes: no directive

	hazard() /* want `call of hazard` */ //cgolint:ignoretoy no separator
}
