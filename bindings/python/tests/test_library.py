"""The library is found, checked and declared completely and correctly."""
from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
import textwrap

import pytest

import cjm
from cjm import _lib, model
from conftest import PACKAGE_ROOT, SOURCE_ROOT, include_dir

DECL = re.compile(r"CJM_EXTERN\b([^;{]*?)\b(cjm_\w+)\s*\(([^;{]*?)\)\s*;", re.S)


def headers() -> str:
    inc = include_dir()
    if not (inc / "cjm" / "common.h").is_file():
        pytest.skip(f"the public headers are not at {inc}")
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(inc.rglob("*.h")))


def strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def declarations() -> dict:
    """name -> (return type, [parameter types]) of every CJM_EXTERN function."""
    out = {}
    for m in DECL.finditer(strip_comments(headers())):
        ret = " ".join(m.group(1).split())
        params = [" ".join(p.split()) for p in m.group(3).split(",")]
        if params == ["void"]:
            params = []
        out[m.group(2)] = (ret, params)
    return out


def enum_types() -> set:
    return set(re.findall(r"typedef\s+enum\s+\w*\s*\{[^}]*\}\s*(\w+)\s*;", headers(), re.S))


def fn_types() -> set:
    return set(re.findall(r"typedef\s+[^;()]*\(\s*\*\s*(\w+)\s*\)", headers()))


def c_category(decl: str, enums: set, fns: set) -> str:
    """'int', 'uint', 'size', 'double', 'ull', 'll', 'str', 'ptr', 'void' for a C type."""
    t = decl.replace("const", " ")
    stars = t.count("*")
    words = re.findall(r"[A-Za-z_]\w*", t)
    if stars:
        if stars == 1 and words[:1] == ["char"]:
            return "str"
        return "ptr"
    # drop the parameter name, if any
    base = " ".join(words)
    known = {"int": "int", "unsigned": "uint", "unsigned int": "uint", "size_t": "size",
             "double": "double", "unsigned long long": "ull", "long long": "ll",
             "void": "void"}
    for n in (len(words), len(words) - 1):
        name = " ".join(words[:n])
        if name in known:
            return known[name]
        if name in enums:
            return "int"
        if name in fns:
            return "ptr"
    raise AssertionError(f"unknown C type in {decl!r} ({base})")


def py_category(t) -> set:
    """The C categories a ctypes type may stand for."""
    if t is None:
        return {"void"}
    # ctypes makes some of these one class (c_size_t and c_ulonglong are both
    # c_ulong on LP64), so a type may stand for several C types of its size.
    found = set()
    for ctype, cat in ((ctypes.c_int, "int"), (ctypes.c_uint, "uint"),
                       (ctypes.c_size_t, "size"), (ctypes.c_double, "double"),
                       (ctypes.c_ulonglong, "ull"), (ctypes.c_longlong, "ll")):
        if t is ctype:
            found.add(cat)
    if found:
        return found
    if t is ctypes.c_char_p:
        return {"str", "ptr"}
    if t is ctypes.c_void_p:  # also raw bytes with a size, such as cjm_buffer.data
        return {"ptr", "str"}
    if isinstance(t, type) and issubclass(t, (ctypes._Pointer, ctypes._CFuncPtr)):
        return {"ptr"}
    raise AssertionError(f"unexpected ctypes type {t!r}")


def test_every_public_function_is_bound_or_deliberately_left_out():
    declared = set(declarations())
    bound = [f[0] for f in _lib.FUNCTIONS]
    assert len(bound) == len(set(bound)), "a function is declared twice in the table"
    assert not set(bound) & set(_lib.OMITTED), "a function is both bound and left out"
    missing = declared - set(bound) - set(_lib.OMITTED)
    assert not missing, f"public functions missing from the binding's table: {sorted(missing)}"
    unknown = (set(bound) | set(_lib.OMITTED)) - declared
    assert not unknown, f"the table names functions no header declares: {sorted(unknown)}"


def test_every_left_out_function_is_explained_in_the_guide():
    guide = SOURCE_ROOT / "doc" / "python.md"
    if not guide.is_file():
        pytest.skip(f"{guide} is not in this tree")
    text = guide.read_text(encoding="utf-8")
    for name in _lib.OMITTED:
        assert f"`{name}`" in text, f"doc/python.md does not say why {name} is left out"


def test_the_table_matches_the_headers_argument_by_argument():
    decls = declarations()
    enums, fns = enum_types(), fn_types()
    for name, argtypes, restype, _ in _lib.FUNCTIONS:
        ret, params = decls[name]
        want = c_category(ret + " x", enums, fns)
        assert want in py_category(restype), f"{name}: returns {ret}, bound as {restype}"
        assert len(params) == len(argtypes), f"{name}: {len(params)} parameters in C, " \
                                             f"{len(argtypes)} in the table"
        for i, (p, t) in enumerate(zip(params, argtypes)):
            want = c_category(p, enums, fns)
            assert want in py_category(t), f"{name}: parameter {i + 1} is {p!r}, bound as {t}"


def test_the_loaded_library_has_every_function_of_the_table():
    cjm.load_library()
    assert _lib.MISSING == []


def test_functions_that_return_result_codes_raise_on_failure():
    # int functions that answer a question rather than report success
    predicates = {"cjm_version_numbers", "cjm_kind_in_journey", "cjm_kind_has_attr",
                  "cjm_attr_type", "cjm_enum_count", "cjm_item_has", "cjm_item_list_contains",
                  "cjm_journey_status", "cjm_item_kind", "cjm_checks_reach_status"}
    for name, argtypes, restype, errcheck in _lib.FUNCTIONS:
        if restype is ctypes.c_int and name not in predicates:
            assert errcheck is not None, f"{name} returns a result code but nothing checks it"


def test_the_library_reports_a_version_this_binding_accepts():
    assert cjm.version() == "%d.%d.%d" % cjm.BINDING_VERSION[:3] or \
        cjm.version().split(".")[:2] == [str(v) for v in cjm.BINDING_VERSION[:2]]
    assert os.path.isfile(cjm.library_path())


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    full = dict(os.environ)
    for key, value in env.items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full,
                          cwd=str(PACKAGE_ROOT), capture_output=True, text=True, timeout=120)


def test_a_missing_library_named_by_the_environment_is_a_clear_error():
    r = run_python("""
        import cjm
        try:
            cjm.JourneyMap()
        except cjm.LibraryError as e:
            print("LibraryError:", e)
        """, {"CJM_LIBRARY": "/nonexistent/libcjm.so.0"})
    assert "LibraryError: cannot load libcjm from CJM_LIBRARY" in r.stdout, r.stderr
    assert "/nonexistent/libcjm.so.0" in r.stdout


def test_an_explicit_path_comes_before_the_environment():
    r = run_python(f"""
        import cjm
        print(cjm.load_library({cjm.library_path()!r}))
        print(cjm.JourneyMap("x").title)
        """, {"CJM_LIBRARY": "/nonexistent/libcjm.so.0"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [cjm.library_path(), "x"]


def test_a_file_that_is_not_libcjm_is_refused():
    libm = ctypes.util.find_library("m")
    if libm is None:
        pytest.skip("no libm to try")
    r = run_python(f"""
        import cjm
        try:
            cjm.load_library({libm!r})
        except cjm.LibraryError as e:
            print("LibraryError:", e)
        """, {})
    assert "LibraryError:" in r.stdout and "not libcjm" in r.stdout, r.stdout + r.stderr


def test_a_library_of_another_version_is_refused():
    r = run_python(f"""
        import cjm, cjm._lib as L
        L.BINDING_VERSION = (L.BINDING_VERSION[0], L.BINDING_VERSION[1] + 1, 0)
        try:
            cjm.load_library({cjm.library_path()!r})
        except cjm.LibraryError as e:
            print("LibraryError:", e)
        """, {})
    assert "does not match this binding" in r.stdout, r.stdout + r.stderr


def test_switching_to_another_library_once_loaded_is_refused():
    cjm.load_library(cjm.library_path())  # the same one: fine
    with pytest.raises(cjm.LibraryError, match="already loaded"):
        cjm.load_library("/elsewhere/libcjm.so.0")


def test_every_enumeration_has_exactly_the_librarys_names():
    L = _lib.lib()
    for name, enum in cjm.enums.ATTRIBUTE_ENUMS.items():
        a = model._attr(name)
        names = [L.cjm_enum_name(a.id, i).decode() for i in range(L.cjm_enum_count(a.id))]
        assert [m.value for m in enum] == names, name
    kinds = []
    while L.cjm_kind_name(len(kinds)) is not None:
        kinds.append(L.cjm_kind_name(len(kinds)).decode())
    assert [k.value for k in cjm.Kind] == kinds


def test_every_enumerated_attribute_has_an_enumeration_or_is_a_flag():
    for name in model._attrs:
        a = model._attr(name)
        if a.type == model._TYPE_INT:
            assert a.flag or a.enum is not None, f"{name} has neither enum class nor flag"


def test_every_item_class_has_a_property_for_each_attribute_of_its_kind():
    for kind, cls in model._CLASSES.items():
        props = set(model.property_names(cls))
        assert props == set(cjm.attribute_names(kind)), kind


def test_every_public_name_has_a_docstring():
    import inspect
    missing = []
    for modname in ("cjm", "cjm.model", "cjm.analysis", "cjm.mining", "cjm.render", "cjm.enums",
                    "cjm._errors", "cjm._lib"):
        mod = __import__(modname, fromlist=["_"])
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", modname) != modname:
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                if not inspect.getdoc(obj):
                    missing.append(f"{modname}.{name}")
                if inspect.isclass(obj):
                    for attr, member in vars(obj).items():
                        if attr.startswith("_") or not (inspect.isfunction(member) or
                                                        isinstance(member, property)):
                            continue
                        if not inspect.getdoc(member):
                            missing.append(f"{modname}.{name}.{attr}")
    assert not missing, f"without a docstring: {missing}"


def struct_members(name: str) -> list:
    m = re.search(r"typedef\s+struct\s+" + name + r"\s*\{(.*?)\}\s*" + name + r"\s*;",
                  strip_comments(headers()), re.S)
    assert m, f"no struct {name} in the headers"
    members = []
    for decl in m.group(1).split(";"):
        decl = " ".join(decl.split())
        if not decl:
            continue
        fn = re.match(r".*\(\s*\*\s*(\w+)\s*\)", decl)
        if fn:  # a function pointer member
            members.append((fn.group(1), "ptr", 1))
            continue
        arr = re.match(r"(.*?)(\w+)\s*\[(\d+)\]$", decl)
        count = int(arr.group(3)) if arr else 1
        base = (arr.group(1) + arr.group(2)) if arr else decl
        members.append((re.findall(r"\w+", base)[-1], base, count))
    return members


def test_every_structure_has_the_layout_of_its_header():
    enums, fns = enum_types(), fn_types()
    structs = [v for v in vars(_lib).values()
               if isinstance(v, type) and issubclass(v, ctypes.Structure) and v.__doc__
               and v.__doc__.startswith("``cjm_")]
    assert len(structs) >= 20
    for cls in structs:
        cname = cls.__doc__.split("``")[1]
        members = struct_members(cname)
        fields = cls._fields_
        assert len(fields) == len(members), f"{cname}: {len(members)} members in C, " \
                                            f"{len(fields)} in {cls.__name__}"
        for (fname, ftype), (mname, mdecl, count) in zip(fields, members):
            assert fname.rstrip("_") == mname, f"{cname}: {fname} where C has {mname}"
            if count > 1:
                assert issubclass(ftype, ctypes.Array) and ftype._length_ == count, \
                    f"{cname}.{mname}: an array of {count}"
                ftype = ftype._type_
            if isinstance(ftype, type) and issubclass(ftype, ctypes.Structure):
                assert mdecl.split()[0] == ftype.__doc__.split("``")[1], f"{cname}.{mname}"
                continue
            want = mdecl if mdecl in ("ptr",) else c_category(mdecl, enums, fns)
            assert want in py_category(ftype), f"{cname}.{mname}: {mdecl!r} bound as {ftype}"


def macro(name: str) -> str:
    m = re.search(r"#define\s+" + name + r"\s+(.*?)(?<!\\)\n", headers(), re.S)
    assert m, f"no macro {name}"
    return " ".join(m.group(1).replace("\\\n", " ").split())


def init_values(name: str) -> list:
    body = macro(name).strip("{} ")
    return [v.strip().rstrip("u") for v in re.split(r",(?![^{]*\})", body)]


def test_the_option_versions_are_those_the_binding_fills_in():
    versions = re.findall(r"#define\s+(CJM_\w+_OPTIONS_VERSION)\s+(\d+)", headers())
    assert len(versions) >= 9
    for name, value in versions:
        assert value == "1", f"{name} is {value}: the binding fills in version 1"


def test_python_defaults_are_the_librarys_defaults():
    import inspect
    from cjm import analysis

    def defaults(fn):
        return {k: p.default for k, p in inspect.signature(fn).parameters.items()
                if p.default is not inspect.Parameter.empty}

    reach = init_values("CJM_REACH_OPTIONS_INIT")
    d = defaults(analysis.reach)
    assert [d["exact_limit"], d["tolerance"], d["max_iterations"]] == \
        [int(reach[2]), float(reach[3]), int(reach[4])]
    assert defaults(analysis.checks)["frequent"] == float(init_values("CJM_CHECKS_OPTIONS_INIT")[2])
    assert defaults(analysis.emotion_curve)["low_below"] == \
        float(init_values("CJM_CURVE_OPTIONS_INIT")[2])
    rank = init_values("CJM_RANK_OPTIONS_INIT")
    d = defaults(analysis.rank)
    assert d["moment_of_truth"] == float(rank[2]) and d["default_severity"] == float(rank[4])
    weights = [float(w) for w in rank[3].strip("{}").split(",")]
    assert analysis._DEFAULT_NEED_WEIGHTS == weights


def test_the_build_tree_search_passes_over_sanitizer_builds(tmp_path, monkeypatch):
    (tmp_path / "include" / "cjm").mkdir(parents=True)
    (tmp_path / "include" / "cjm" / "common.h").write_text("")
    (tmp_path / "CMakeLists.txt").write_text("")
    for name, sanitize in (("build-asan", "address,undefined"), ("build", ""),
                           ("build/release", "")):
        d = tmp_path / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "CMakeCache.txt").write_text(f"CJM_SANITIZE:STRING={sanitize}\n")
        (d / "libcjm.so.0").write_bytes(b"")
    monkeypatch.setattr(_lib, "_source_root", lambda: tmp_path)
    found = _lib.build_tree_candidates()
    assert sorted(found) == sorted([str(tmp_path / "build" / "libcjm.so.0"),
                                    str(tmp_path / "build" / "release" / "libcjm.so.0")])


def test_without_a_path_the_package_finds_a_build_of_its_checkout():
    candidates = _lib.build_tree_candidates()
    if not candidates:
        pytest.skip("no build directory with a libcjm.so.0 in this checkout")
    r = run_python("import cjm; print(cjm.library_path())", {"CJM_LIBRARY": None})
    assert r.returncode == 0, r.stderr
    loadable = [os.path.realpath(c) for c in candidates]
    assert r.stdout.strip() in loadable
