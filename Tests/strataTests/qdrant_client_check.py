#!/usr/bin/env python3
"""End-to-end check of Strata's Qdrant-compatible REST subset using the official
qdrant-client (REST mode).

Usage: python3 qdrant_client_check.py http://127.0.0.1:PORT

Prints one "ok: ..." line per passed check and exits non-zero with a "FAIL: ..."
message on the first failure. Fully deterministic (fixed seeds, fixed UUIDs).
"""
import math
import random
import sys
import uuid

from qdrant_client import QdrantClient, models

try:
    from qdrant_client.http.exceptions import UnexpectedResponse
except ImportError:  # pragma: no cover
    UnexpectedResponse = None

COLLECTION = "code"
DIM = 32
N_INT = 1000
LANGS = ["python", "swift", "go", "rust"]
UUID_NS = uuid.UUID("6f1c2a9e-3b7d-4c58-9a0e-5d2f8b1c7e44")
UUID_IDS = [str(uuid.uuid5(UUID_NS, "strata-qdrant-check-%d" % k)) for k in range(3)]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.stdout.flush()
    sys.exit(1)


def check(cond, msg, detail=""):
    if not cond:
        fail(msg + ((" -- " + str(detail)) if detail != "" else ""))
    print("ok: " + msg)
    sys.stdout.flush()


def normalize(v):
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v] if n > 0 else list(v)


def cosine(a, b):
    return sum(x * y for x, y in zip(normalize(a), normalize(b)))


def payload_for(i):
    return {
        "lang": LANGS[i % 4],
        "quality": (i % 10) / 10,
        "tags": ["t%d" % (i % 3), "all"],
        "name": "fn_%d" % i,
    }


UUID_PAYLOAD = {"lang": "python", "quality": 0.95, "tags": ["uuid"]}


def make_vectors(count, seed):
    # Pure-Python generator: identical vectors on every machine, numpy or not.
    rng = random.Random(seed)
    return [[rng.gauss(0.0, 1.0) for _ in range(DIM)] for _ in range(count)]


def make_client(url):
    try:
        return QdrantClient(url=url, prefer_grpc=False, timeout=30, check_compatibility=False)
    except TypeError:  # older clients without check_compatibility
        return QdrantClient(url=url, prefer_grpc=False, timeout=30)


def scroll_all(client, scroll_filter=None, limit=128):
    ids, payloads, pages, offset = [], {}, 0, None
    while True:
        points, offset = client.scroll(
            collection_name=COLLECTION,
            scroll_filter=scroll_filter,
            limit=limit,
            offset=offset,
            with_payload=True,
            with_vectors=False,
        )
        pages += 1
        if len(points) > limit:
            fail("scroll returned %d points for limit=%d" % (len(points), limit))
        for p in points:
            ids.append(p.id)
            payloads[p.id] = p.payload
        if offset is None:
            break
        if pages > 1000:
            fail("scroll did not terminate (next_page_offset never became None)")
    return ids, payloads, pages


def error_message(exc):
    if UnexpectedResponse is not None and isinstance(exc, UnexpectedResponse):
        try:
            return str(exc.structured()["status"]["error"])
        except Exception:
            return exc.content.decode("utf-8", "replace")
    return str(exc)


def main():
    if len(sys.argv) != 2:
        fail("usage: qdrant_client_check.py SERVER_URL")
    url = sys.argv[1]
    client = make_client(url)

    # ---- data -----------------------------------------------------------------
    vectors = make_vectors(N_INT + len(UUID_IDS), seed=7)
    int_vectors, uuid_vectors = vectors[:N_INT], vectors[N_INT:]
    all_ids = list(range(N_INT)) + UUID_IDS
    original = dict(zip(all_ids, vectors))
    payloads = {i: payload_for(i) for i in range(N_INT)}
    payloads.update({u: dict(UUID_PAYLOAD) for u in UUID_IDS})

    # ---- collection lifecycle -------------------------------------------------
    if client.collection_exists(COLLECTION):
        check(client.delete_collection(COLLECTION) is True, "delete_collection(%r) of a stale collection" % COLLECTION)
    check(client.collection_exists(COLLECTION) is False, "collection_exists(%r) is False before create" % COLLECTION)
    check(client.collection_exists("strata_missing_collection_xyz") is False, "collection_exists of an unknown name is False")
    created = client.create_collection(
        collection_name=COLLECTION,
        vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE),
    )
    check(created is True, "create_collection(%r, size=%d, Cosine)" % (COLLECTION, DIM))
    check(client.collection_exists(COLLECTION) is True, "collection_exists(%r) is True after create" % COLLECTION)

    # ---- upserts --------------------------------------------------------------
    for start in (0, 250):
        res = client.upsert(
            collection_name=COLLECTION,
            wait=True,
            points=[
                models.PointStruct(id=i, vector=int_vectors[i], payload=payloads[i])
                for i in range(start, start + 250)
            ],
        )
        check(res.status == models.UpdateStatus.COMPLETED,
              "upsert PointStruct list ids %d..%d (wait=True) completed" % (start, start + 249), res)
    batch_ids = list(range(500, N_INT))
    res = client.upsert(
        collection_name=COLLECTION,
        wait=True,
        points=models.Batch(
            ids=batch_ids,
            vectors=[int_vectors[i] for i in batch_ids],
            payloads=[payloads[i] for i in batch_ids],
        ),
    )
    check(res.status == models.UpdateStatus.COMPLETED, "upsert models.Batch ids 500..999 completed", res)
    res = client.upsert(
        collection_name=COLLECTION,
        wait=True,
        points=[models.PointStruct(id=u, vector=v, payload=dict(UUID_PAYLOAD)) for u, v in zip(UUID_IDS, uuid_vectors)],
    )
    check(res.status == models.UpdateStatus.COMPLETED, "upsert 3 UUID-id points completed", res)

    total = N_INT + len(UUID_IDS)
    c = client.count(COLLECTION, exact=True).count
    check(c == total, "count(exact=True) == %d" % total, c)

    # ---- query_points ---------------------------------------------------------
    resp = client.query_points(COLLECTION, query=int_vectors[17], limit=5, with_payload=True)
    pts = resp.points
    check(len(pts) == 5, "query_points(limit=5) returns 5 points", len(pts))
    check(pts[0].id == 17 and pts[0].score > 0.999, "query_points: point 17 first with score > 0.999",
          [(p.id, p.score) for p in pts])
    check(pts[0].payload == payloads[17], "query_points: payload of point 17 round-trips", pts[0].payload)
    check(all(pts[k].score >= pts[k + 1].score for k in range(len(pts) - 1)), "query_points: scores are non-increasing",
          [p.score for p in pts])

    swift = models.Filter(must=[models.FieldCondition(key="lang", match=models.MatchValue(value="swift"))])
    pts = client.query_points(COLLECTION, query=int_vectors[17], query_filter=swift, limit=5, with_payload=True).points
    check(len(pts) == 5, "query_points with must lang==swift returns 5 points", len(pts))
    check(all(p.payload and p.payload.get("lang") == "swift" for p in pts)
          and all(isinstance(p.id, int) and p.id % 4 == 1 for p in pts),
          "query_points with must lang==swift returns only swift points", [(p.id, p.payload) for p in pts])

    go_rust_lowq = models.Filter(
        should=[models.FieldCondition(key="lang", match=models.MatchAny(any=["go", "rust"]))],
        must_not=[models.FieldCondition(key="quality", range=models.Range(gte=0.8))],
    )
    pts = client.query_points(COLLECTION, query=int_vectors[3], query_filter=go_rust_lowq, limit=20, with_payload=True).points
    check(len(pts) == 20, "query_points with should(lang any [go,rust]) + must_not(quality>=0.8) returns 20 points", len(pts))
    bad = [(p.id, p.payload) for p in pts if not (p.payload["lang"] in ("go", "rust") and p.payload["quality"] < 0.8)]
    check(not bad, "query_points should/must_not filter: every result obeys it", bad)

    qvec = make_vectors(1, seed=12345)[0]
    exact = sorted(all_ids, key=lambda pid: (-cosine(qvec, original[pid]), str(pid)))[:10]
    pts = client.query_points(COLLECTION, query=qvec, limit=10, with_payload=False).points
    got = [p.id for p in pts]
    recall = len(set(got) & set(exact)) / 10.0
    check(recall >= 0.9, "query_points(limit=10) recall@10 = %.2f >= 0.9 vs exact cosine" % recall,
          {"got": got, "exact": exact})
    check(len(pts) > 0 and abs(pts[0].score - cosine(qvec, original[pts[0].id])) < 1e-3,
          "query_points: top score matches exact cosine within 1e-3",
          (pts[0].score, cosine(qvec, original[pts[0].id])) if pts else None)

    # ---- retrieve -------------------------------------------------------------
    want = [1, 2, 3, UUID_IDS[0]]
    recs = client.retrieve(COLLECTION, ids=want, with_payload=True, with_vectors=True)
    by_id = {r.id: r for r in recs}
    check(len(recs) == 4 and set(by_id) == set(want), "retrieve ids [1,2,3,uuid0] returns exactly those 4", list(by_id))
    for pid in want:
        r = by_id[pid]
        check(r.payload == payloads[pid], "retrieve %s: payload matches" % pid, r.payload)
        vec = r.vector
        check(isinstance(vec, list) and len(vec) == DIM, "retrieve %s: vector has length %d" % (pid, DIM),
              type(vec).__name__ if not isinstance(vec, list) else len(vec))
        diff = max(abs(a - b) for a, b in zip(normalize(vec), normalize(original[pid])))
        check(diff < 1e-3, "retrieve %s: vector matches original after normalization" % pid, diff)

    # ---- scroll ---------------------------------------------------------------
    ids, scrolled_payloads, pages = scroll_all(client)
    check(len(ids) == len(set(ids)), "scroll(limit=128) walk has no duplicate ids")
    check(len(ids) == total and set(ids) == set(all_ids),
          "scroll(limit=128) walk visits all %d points in %d pages" % (total, pages), len(ids))
    check(all(scrolled_payloads[pid] == payloads[pid] for pid in ids), "scroll payloads match the upserted payloads")

    python_filter = models.Filter(must=[models.FieldCondition(key="lang", match=models.MatchValue(value="python"))])
    ids, scrolled_payloads, pages = scroll_all(client, scroll_filter=python_filter)
    expected_python = sum(1 for pid in all_ids if payloads[pid]["lang"] == "python")
    check(len(ids) == len(set(ids)), "scroll with lang==python filter has no duplicate ids")
    check(len(ids) == expected_python == 253, "scroll with lang==python filter visits %d points" % expected_python, len(ids))
    check(all(scrolled_payloads[pid]["lang"] == "python" for pid in ids), "scroll with lang==python filter: all python")

    # ---- filtered counts ------------------------------------------------------
    has_ids = [5, 6, 7, UUID_IDS[1], 123456]
    expected = sum(1 for pid in has_ids if pid in original)
    c = client.count(COLLECTION, count_filter=models.Filter(must=[models.HasIdCondition(has_id=has_ids)]), exact=True).count
    check(c == expected, "count with has_id filter == %d" % expected, c)

    expected = sum(1 for pid in all_ids if payloads[pid]["quality"] >= 0.5)
    c = client.count(
        COLLECTION,
        count_filter=models.Filter(must=[models.FieldCondition(key="quality", range=models.Range(gte=0.5))]),
        exact=True,
    ).count
    check(c == expected, "count with quality range gte 0.5 == %d" % expected, c)

    # ---- payload indexes: the same answers, listed in payload_schema ----------
    lang_python = models.Filter(must=[models.FieldCondition(key="lang", match=models.MatchValue(value="python"))])
    before = client.count(COLLECTION, count_filter=lang_python, exact=True).count
    before_hits = [p.id for p in client.query_points(COLLECTION, query=int_vectors[5], query_filter=lang_python, limit=10).points]
    res = client.create_payload_index(COLLECTION, field_name="lang", field_schema=models.PayloadSchemaType.KEYWORD, wait=True)
    check(res.status == models.UpdateStatus.COMPLETED, "create_payload_index(lang, keyword) completed", res)
    client.create_payload_index(COLLECTION, field_name="quality", field_schema=models.PayloadSchemaType.FLOAT, wait=True)
    after = client.count(COLLECTION, count_filter=lang_python, exact=True).count
    check(after == before, "indexed count(lang==python) equals the unindexed one (%d)" % before, after)
    after_hits = [p.id for p in client.query_points(COLLECTION, query=int_vectors[5], query_filter=lang_python, limit=10).points]
    check(after_hits == before_hits, "indexed filtered query equals the unindexed one", (after_hits, before_hits))
    schema = client.get_collection(COLLECTION).payload_schema
    check(schema.get("lang") is not None and schema["lang"].data_type == models.PayloadSchemaType.KEYWORD,
          "payload_schema lists lang as keyword", schema)
    min_two = models.Filter(min_should=models.MinShould(conditions=[
        models.FieldCondition(key="lang", match=models.MatchValue(value="python")),
        models.FieldCondition(key="quality", range=models.Range(gte=0.5)),
        models.FieldCondition(key="tags", match=models.MatchValue(value="t0")),
    ], min_count=2))
    expected = sum(1 for pid in all_ids if sum([payloads[pid]["lang"] == "python", payloads[pid]["quality"] >= 0.5,
                                                 "t0" in payloads[pid]["tags"]]) >= 2)
    c = client.count(COLLECTION, count_filter=min_two, exact=True).count
    check(c == expected, "count with min_should(2 of 3) == %d" % expected, c)
    two_tags = models.Filter(must=[models.FieldCondition(key="tags", values_count=models.ValuesCount(gte=2))])
    expected = sum(1 for pid in all_ids if len(payloads[pid]["tags"]) >= 2)
    c = client.count(COLLECTION, count_filter=two_tags, exact=True).count
    check(c == expected, "count with values_count(tags) >= 2 == %d" % expected, c)
    client.delete_payload_index(COLLECTION, field_name="quality", wait=True)
    check("quality" not in client.get_collection(COLLECTION).payload_schema, "delete_payload_index(quality) drops it")

    # ---- a named vector ---------------------------------------------------------
    client.create_collection("named", vectors_config={"text": models.VectorParams(size=DIM, distance=models.Distance.COSINE)})
    client.upsert("named", points=[models.PointStruct(id=i, vector={"text": int_vectors[i]}) for i in range(20)], wait=True)
    hits = client.query_points("named", query=int_vectors[7], using="text", limit=1, with_vectors=True).points
    check([p.id for p in hits] == [7], "named vector: query_points(using=text) finds the point itself", hits)
    check(isinstance(hits[0].vector, dict) and len(hits[0].vector.get("text", [])) == DIM, "named vector: answered under its name", hits[0].vector)
    check(client.get_collection("named").config.params.vectors["text"].size == DIM, "named vector: collection info names it")

    # ---- sparse vectors beside a dense one, fused -------------------------------
    client.create_collection("hybrid", vectors_config={"dense": models.VectorParams(size=DIM, distance=models.Distance.COSINE)},
                             sparse_vectors_config={"words": models.SparseVectorParams()})
    client.upsert("hybrid", points=[models.PointStruct(id=i, vector={
        "dense": int_vectors[i], "words": models.SparseVector(indices=[i, 100 + i % 3], values=[1.0, 0.5])}) for i in range(30)], wait=True)
    hits = client.query_points("hybrid", query=models.SparseVector(indices=[12], values=[2.0]), using="words", limit=3).points
    check([p.id for p in hits] == [12] and abs(hits[0].score - 2.0) < 1e-6, "sparse query_points(using=words) finds the one point with index 12", hits)
    fused = client.query_points("hybrid", prefetch=[
        models.Prefetch(query=int_vectors[4], using="dense", limit=5),
        models.Prefetch(query=models.SparseVector(indices=[4], values=[1.0]), using="words", limit=5),
    ], query=models.FusionQuery(fusion=models.Fusion.RRF), limit=3).points
    check(fused and fused[0].id == 4, "hybrid dense + sparse RRF puts the point both legs rank first on top", fused)

    # ---- deletes --------------------------------------------------------------
    go_filter = models.Filter(must=[models.FieldCondition(key="lang", match=models.MatchValue(value="go"))])
    res = client.delete(COLLECTION, points_selector=models.FilterSelector(filter=go_filter), wait=True)
    check(res.status == models.UpdateStatus.COMPLETED, "delete by FilterSelector(lang==go) completed", res)
    n_go = sum(1 for pid in all_ids if payloads[pid]["lang"] == "go")
    c = client.count(COLLECTION, exact=True).count
    check(c == total - n_go == 753, "count after deleting go points == %d" % (total - n_go), c)

    res = client.delete(COLLECTION, points_selector=models.PointIdsList(points=[0, 1]), wait=True)
    check(res.status == models.UpdateStatus.COMPLETED, "delete by PointIdsList([0,1]) completed", res)
    c2 = client.count(COLLECTION, exact=True).count
    check(c2 == c - 2, "count after deleting ids [0,1] == %d" % (c - 2), c2)
    left = [r.id for r in client.retrieve(COLLECTION, ids=[0, 1, 3])]
    check(left == [3], "retrieve [0,1,3] after deletes returns only 3", left)

    # ---- collection info ------------------------------------------------------
    info = client.get_collection(COLLECTION)
    check(info.points_count == c2, "get_collection: points_count == %d" % c2, info.points_count)
    vparams = info.config.params.vectors
    check(isinstance(vparams, models.VectorParams) and vparams.size == DIM,
          "get_collection: config.params.vectors.size == %d" % DIM, vparams)
    check(vparams.distance == models.Distance.COSINE, "get_collection: distance is Cosine", vparams.distance)
    names = [cd.name for cd in client.get_collections().collections]
    check(COLLECTION in names, "get_collections lists %r" % COLLECTION, names)

    # ---- snapshots: create, list, recover (the points added after it go), delete ----
    before = client.count(COLLECTION, exact=True).count
    snapshot = client.create_snapshot(COLLECTION)
    check(snapshot is not None and snapshot.name.endswith(".snapshot") and len(snapshot.checksum or "") == 64,
          "create_snapshot gives a name and a SHA-256 checksum", snapshot)
    listed = [s.name for s in client.list_snapshots(COLLECTION)]
    check(snapshot.name in listed, "list_snapshots lists the new snapshot", listed)
    client.upsert(COLLECTION, points=[models.PointStruct(id=999_999, vector=[0.5] * DIM, payload={"late": True})], wait=True)
    check(client.count(COLLECTION, exact=True).count == before + 1, "a point added after the snapshot is counted")
    check(client.recover_snapshot(COLLECTION, location=snapshot.name, wait=True) is True, "recover_snapshot answers true")
    after = client.count(COLLECTION, exact=True).count
    check(after == before, "after recover_snapshot the collection holds what the snapshot held", (before, after))
    check(client.delete_snapshot(COLLECTION, snapshot.name, wait=True) is True, "delete_snapshot answers true")
    check(snapshot.name not in [s.name for s in client.list_snapshots(COLLECTION)], "a deleted snapshot is no longer listed")

    # ---- error path -----------------------------------------------------------
    try:
        client.query_points(COLLECTION, query=[0.1] * (DIM - 1), limit=3)
    except Exception as exc:  # UnexpectedResponse expected
        status = getattr(exc, "status_code", None)
        msg = error_message(exc)
        check(status is None or status == 400, "wrong-dimension query fails with HTTP 400", (type(exc).__name__, status, msg))
        check("dim" in msg.lower(), "wrong-dimension error message mentions the dimension: %r" % msg, msg)
    else:
        fail("query_points with a %d-dim vector on a %d-dim collection did not raise" % (DIM - 1, DIM))

    client.close()
    print("ok: all qdrant-client checks passed")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as exc:  # report unexpected client/parse errors as a failure
        import traceback

        traceback.print_exc()
        source = getattr(exc, "source", None)  # ResponseHandlingException wraps pydantic errors
        fail("unexpected %s: %s%s" % (type(exc).__name__, exc, ("\ncaused by: %s" % source) if source else ""))
