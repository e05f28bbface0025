import ArgumentParser
@main struct Strata: ParsableCommand {}
