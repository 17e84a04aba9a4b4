from orders import geography


def test_the_data_file_has_37_states_and_774_lgas():
    states = geography.lgas_by_state()
    assert len(states) == 37
    assert sum(len(lgas) for lgas in states.values()) == 774
    assert len(states["Lagos"]) == 20
    assert len(states["Kano"]) == 44
    assert len(states["FCT"]) == 6
    assert "Ikeja" in states["Lagos"]
    assert "Port Harcourt" in states["Rivers"]
    assert "Municipal Area Council" in states["FCT"]
    assert "Nsukka" in states["Enugu"]


def test_lgas_are_unique_within_each_state():
    for state, lgas in geography.lgas_by_state().items():
        assert len(set(lgas)) == len(lgas), state


def test_names_match_without_regard_to_case_or_spacing():
    assert geography.canonical_state("  lagos ") == "Lagos"
    assert geography.canonical_state("Abuja") == "FCT"
    assert geography.canonical_state("Atlantis") is None
    assert geography.canonical_lga("Lagos", "eti  osa") == "Eti Osa"
    assert geography.canonical_lga("Lagos", "Nsukka") is None
