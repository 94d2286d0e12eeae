# %% + adjoints_000
print(adjoints_000(1.0, 2.0))
print(adjoints_000(0.0, 0.0))

# %% + forward_tangents
vals = evaluate(GRAPH_004, {"t1": 1.0, "t2": 1.0, "t3": 1.0})
for direction in ("t1", "t2", "t3"):
    seeds = {t: float(t == direction) for t in ("t1", "t2", "t3")}
    print(direction, forward_tangents(GRAPH_004, vals, seeds)["a6"])

# %% + reverse_adjoints
vals = evaluate(GRAPH_004, {"t1": 1.0, "t2": 1.0, "t3": 1.0})
adj = reverse_adjoints(GRAPH_004, vals)
print({k: round(v, 4) for k, v in adj.items()})
