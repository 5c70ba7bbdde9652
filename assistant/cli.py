"""Command line: a thin caller of the core and the drafting engines.

Exit codes: 0 ok, 1 the form has errors (validate/review), 2 the input can't be used.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .core.findings import SEVERITY_LABELS, Report, Severity
from .core.io import DRAFT_FORMATS, load_draft, render, save_draft, write_atomic
from .core.io.errors import FormatError
from .core.model import Draft
from .core.profiles import UnknownProfile, all_profiles
from .core.validator import fix_all, validate

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="绩效指标助手：起草、检查、导出绩效目标申报表。")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


def _load(path: Path) -> Draft:
    try:
        return load_draft(path)
    except FormatError as e:
        _fail(str(e))
    raise AssertionError  # unreachable


def _validate(draft: Draft, profile: Optional[str]) -> Report:
    try:
        return validate(draft, profile)
    except UnknownProfile as e:
        _fail(str(e))
    raise AssertionError


def print_report(draft: Draft, report: Report, *, show_info: bool = False, out=None) -> None:
    out = out or sys.stdout
    s = report.summary()
    print(f"规则版本：{report.profile}（{report.profile_title}；{report.profile_reason}）", file=out)
    print(f"共 {s['rows']} 行指标：错误 {s['errors']} 项，提示 {s['warnings']} 项，说明 {s['infos']} 项"
          f"（可自动修正 {s['fixable']} 项）", file=out)
    for f in report.findings:
        if f.severity is Severity.INFO and not show_info:
            continue
        mark = "*" if f.applicable else " "
        print(f"[{SEVERITY_LABELS[f.severity]}]{mark}{f.code} {f.message}", file=out)
        if f.fix:
            print(f"      建议：{f.fix}", file=out)
    if s["infos"] and not show_info:
        print(f"（另有 {s['infos']} 条说明，加 --all 显示；带 * 的可用 fix 命令自动修正）", file=out)


@app.command("validate")
def validate_cmd(
    file: Path = typer.Argument(..., help="表格文件：.json / .xlsx / .csv"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="规则版本（默认按文件推断）"),
    format: str = typer.Option("text", "--format", "-f", help="text 或 json"),
    show_all: bool = typer.Option(False, "--all", help="同时显示“说明”级别的条目"),
) -> None:
    """检查一份绩效目标表。退出码：0 无错误，1 有错误，2 文件无法读取。"""
    if format not in ("text", "json"):
        _fail("--format 只能是 text 或 json")
    draft = _load(file)
    report = _validate(draft, profile)
    if format == "json":
        typer.echo(json.dumps({"issues": [f.public() for f in report.findings], "summary": report.summary()},
                              ensure_ascii=False, indent=1))
    else:
        print_report(draft, report, show_info=show_all)
    raise typer.Exit(1 if report.errors else 0)


@app.command("fix")
def fix_cmd(
    file: Path = typer.Argument(..., help="表格文件：.json / .xlsx / .csv"),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件，后缀决定格式"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p"),
) -> None:
    """自动修正可机械修正的问题（层级写法、比较符号、单位等），写出新文件。"""
    draft = _load(file)
    report = _validate(draft, profile)
    fixed, changes = fix_all(draft, report.profile)
    fixed.profile = fixed.profile or report.profile
    _write(fixed, output, validate(fixed, report.profile))
    for c in changes:
        typer.echo(f"  已修正：{c}")
    typer.echo(f"共修正 {len(changes)} 处，已写入 {output}")


def _write(draft: Draft, output: Path, report: Report | None) -> None:
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in DRAFT_FORMATS:
        _fail(f"不支持的输出格式“{output.suffix}”，可用：{', '.join('.' + f for f in DRAFT_FORMATS)}")
    try:
        save_draft(draft, output, fmt, report)
    except OSError as e:
        _fail(f"无法写入 {output}：{e.strerror or e}")


@app.command("export")
def export_cmd(
    file: Path = typer.Argument(..., help="表格文件：.json / .xlsx / .csv"),
    to: str = typer.Option(..., "--to", "-t", help="xlsx | docx | csv | md | json"),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p"),
    findings: bool = typer.Option(True, "--findings/--no-findings", help="Excel/Word 附审核意见"),
) -> None:
    """导出为正式表样（Excel、Word）或 CSV、Markdown、JSON。"""
    to = to.lower().lstrip(".")
    if to not in DRAFT_FORMATS:
        _fail(f"--to 只能是 {' | '.join(DRAFT_FORMATS)}")
    draft = _load(file)
    report = _validate(draft, profile) if findings else None
    if report and not draft.profile:
        draft.profile = report.profile
    try:
        data = render(draft, to, report)
        write_atomic(output, data)
    except OSError as e:
        _fail(f"无法写入 {output}：{e.strerror or e}")
    typer.echo(f"已导出 {output}（{len(draft.indicators)} 行指标）")


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help=".xlsx（本工具导出的表或一级/二级/指标名称/指标值列的平表）、.csv 或 .json"),
    output: Path = typer.Option(..., "--output", "-o", help="输出 .json"),
) -> None:
    """把 Excel/CSV 表格读成本工具的 JSON 草稿。"""
    draft = _load(file)
    if output.suffix.lower() != ".json":
        _fail("import 只输出 .json；其他格式请用 export")
    report = validate(draft)
    draft.profile = draft.profile or report.profile
    _write(draft, output, None)
    typer.echo(f"已读取 {len(draft.indicators)} 行指标，写入 {output}（规则版本 {report.profile}）")


@app.command("profiles")
def profiles_cmd(format: str = typer.Option("text", "--format", "-f", help="text 或 json")) -> None:
    """列出可用的规则版本（表样）。"""
    profs = all_profiles()
    if format == "json":
        typer.echo(json.dumps({pid: p.model_dump() for pid, p in profs.items()}, ensure_ascii=False, indent=1))
        return
    for pid, p in profs.items():
        typer.echo(f"{pid:18} {p.title}")
        for t1, spec in p.tiers.items():
            typer.echo(f"{'':18}   {t1}：{'、'.join(spec.children)}")


@app.command("rules")
def rules_cmd() -> None:
    """列出校验规则。"""
    from .core.validator import rules_table

    for r in rules_table():
        typer.echo(f"{r['code']:5} {SEVERITY_LABELS[Severity(r['severity'])]:3} {r['title']}")


# --- drafting ---------------------------------------------------------------------------------

def _settings(base_url, model, provider):
    from .config import load_settings

    return load_settings(llm_base_url=base_url, llm_model=model, llm_provider=provider)


def _engine(mode: str, base_url, model, provider):
    from .engines import EngineError, get_engine

    if mode not in ("auto", "offline", "llm"):
        _fail("--engine 只能是 auto、offline 或 llm")
    try:
        return get_engine(mode, _settings(base_url, model, provider))  # type: ignore[arg-type]
    except EngineError as e:
        _fail(str(e))
    raise AssertionError


def _read_input(path: str) -> str:
    from .core.io import decode_text, read_text

    if path == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            _fail("标准输入是空的：请输入单位职能、年度任务和绩效目标等文字。")
        try:
            return decode_text(data, "标准输入")
        except FormatError as e:
            _fail(str(e))
    p = Path(path)
    if p.suffix.lower() not in (".txt", ".md", ".docx", ".text", ""):
        _fail(f"{path}：起草需要 .txt、.md 或 .docx 文字材料；已有表格请用 validate 或 review。")
    try:
        return read_text(p)
    except FormatError as e:
        _fail(str(e))
    raise AssertionError


ENGINE_OPT = typer.Option("auto", "--engine", "-e", help="auto（配置了模型就用模型）| offline | llm")
BASE_URL_OPT = typer.Option(None, "--base-url", help="OpenAI 兼容接口地址（覆盖 ASSISTANT_LLM_BASE_URL）")
MODEL_OPT = typer.Option(None, "--model", help="模型名（覆盖 ASSISTANT_LLM_MODEL）")
PROVIDER_OPT = typer.Option(None, "--provider", help="openai|deepseek|qwen|glm|kimi|ollama|vllm|generic")


@app.command("draft")
def draft_cmd(
    input: Optional[str] = typer.Argument(None, help="文字材料：.txt / .md / .docx，或 - 表示标准输入"),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件：.json / .xlsx / .docx / .md / .csv"),
    from_last: Optional[Path] = typer.Option(None, "--from", help="从上年的表格开始（.xlsx/.xls/.docx/.pdf/.json）；"
                                                                "再给本年文字材料时按它更新"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="规则版本，默认按材料判断部门/项目"),
    kind: Optional[str] = typer.Option(None, "--kind", help="department（部门整体）或 project（项目）"),
    engine: str = ENGINE_OPT,
    base_url: Optional[str] = BASE_URL_OPT,
    model: Optional[str] = MODEL_OPT,
    provider: Optional[str] = PROVIDER_OPT,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="显示调用过程（模型、方法、次数、用量、耗时）"),
) -> None:
    """根据单位的文字材料起草绩效目标表。"""
    from .core.model import Kind
    from .engines import EngineError

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in DRAFT_FORMATS:
        _fail(f"不支持的输出格式“{output.suffix}”，可用：{', '.join('.' + f for f in DRAFT_FORMATS)}")
    if kind and kind not in ("department", "project"):
        _fail("--kind 只能是 department 或 project")
    if profile:
        try:
            from .core.profiles import get_profile

            get_profile(profile)
        except UnknownProfile as e:
            _fail(str(e))
    if from_last is not None:
        _roll_forward(from_last, input, output)
        return
    if input is None:
        _fail("请给出文字材料文件（或用 --from 从上年表格开始）。")
    text = _read_input(input)
    eng, why = _engine(engine, base_url, model, provider)
    typer.echo(why)
    try:
        out = eng.draft(text, profile=profile, kind=Kind(kind) if kind else None)
    except EngineError as e:
        _fail(str(e))
    for note in out.notes:
        typer.echo(f"说明：{note}")
    _write(out.draft, output, out.report)
    print_report(out.draft, out.report)
    need = out.needs_input
    if need:
        typer.echo(f"需要您填写或确认的行（{len(need)} 行）：")
        for i in need:
            r = out.draft.indicators[i]
            typer.echo(f"  第{i + 1}行 {r.tier2}「{r.name}」{r.value}" + (f"（{r.note}）" if r.note else ""))
    if verbose and out.trace:
        typer.echo(json.dumps(out.trace, ensure_ascii=False, indent=1))
    typer.echo(f"已写入 {output}")


def _roll_forward(last_path: Path, input: Optional[str], output: Path) -> None:
    from .engines import EngineError
    from .engines.rollforward import roll_forward

    last = _load(last_path)
    if not last.indicators:
        _fail(f"{last_path} 中没有指标行。")
    text = _read_input(input) if input else None
    try:
        out = roll_forward(last, text)
    except EngineError as e:
        _fail(str(e))
    report = validate(out.draft)
    _write(out.draft, output, report)
    typer.echo(out.summary())
    print_report(out.draft, report)
    typer.echo(f"已写入 {output}（Excel 中另有“指标值变动情况”表）" if output.suffix == ".xlsx" else f"已写入 {output}")


@app.command("revise")
def revise_cmd(
    file: Path = typer.Argument(..., help="草稿：.json / .xlsx / .csv"),
    instruction: str = typer.Argument(..., help="修改指令，如“满意度改成≥95%”“补一个成本指标”"),
    output: Path = typer.Option(..., "--output", "-o"),
    engine: str = ENGINE_OPT,
    base_url: Optional[str] = BASE_URL_OPT,
    model: Optional[str] = MODEL_OPT,
    provider: Optional[str] = PROVIDER_OPT,
) -> None:
    """按指令修改草稿；回复说明改了什么。"""
    from .engines import EngineError

    draft = _load(file)
    eng, why = _engine(engine, base_url, model, provider)
    typer.echo(why)
    try:
        out = eng.revise(draft, instruction)
    except EngineError as e:
        _fail(str(e))
    typer.echo(out.reply)
    if not out.changes:
        raise typer.Exit(1 if not out.understood else 0)
    _write(out.draft, output, out.report)
    typer.echo(f"已写入 {output}")


@app.command("review")
def review_cmd(
    file: Path = typer.Argument(..., help="已填好的表（.xlsx .xls .docx .pdf .csv .json），或装着多份表的文件夹、.zip"),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="批量审核时写出汇总表和审核意见的文件夹"),
    format: str = typer.Option("text", "--format", "-f", help="text 或 json"),
    engine: str = ENGINE_OPT,
    base_url: Optional[str] = BASE_URL_OPT,
    model: Optional[str] = MODEL_OPT,
    provider: Optional[str] = PROVIDER_OPT,
) -> None:
    """审阅一份已填好的表：规则检查，配置模型时另给改写建议。退出码同 validate。

    给出文件夹或 .zip 时批量审核：写出“审核汇总.xlsx”和每份表的“审核意见_*.docx”。"""
    from .engines import EngineError

    if file.is_dir() or file.suffix.lower() == ".zip":
        _review_batch(file, out_dir)
        return

    draft = _load(file)
    eng, why = _engine(engine, base_url, model, provider)
    try:
        out = eng.review(draft)
    except EngineError as e:
        _fail(str(e))
    if format == "json":
        typer.echo(json.dumps({"summary": out.summary, "issues": [f.public() for f in out.findings]},
                              ensure_ascii=False, indent=1))
    else:
        typer.echo(why)
        typer.echo(out.summary)
        print_report(out.draft, out.report)
        extra = [f for f in out.findings if f not in out.report.findings]
        for f in extra:
            typer.echo(f"[审阅]{f.code} {f.message}\n      建议：{f.fix}")
    raise typer.Exit(1 if out.report.errors else 0)


def _review_batch(source: Path, out_dir: Optional[Path]) -> None:
    from tqdm import tqdm

    from .core.batch import collect, opinion_docx, opinion_name, review_one, summary_workbook

    if out_dir is None:
        _fail("批量审核需要用 --out 指定输出文件夹。")
    if not source.exists():
        _fail(f"找不到 {source}。")
    try:
        items, skipped = collect(source)
    except FormatError as e:
        _fail(str(e))
    if not items:
        _fail(f"{source} 中没有表格文件（支持 .xlsx .xls .docx .pdf .csv .json）。")
    results = []
    with tqdm(total=len(items), desc="审核", unit="份", file=sys.stderr, disable=None) as bar:
        for name, data in items:
            results.append(review_one(name, data))
            bar.update(1)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(out_dir / "审核汇总.xlsx", summary_workbook(results, skipped))
        used: set[str] = set()
        for r in results:
            write_atomic(out_dir / opinion_name(r, used), opinion_docx(r))
    except OSError as e:
        _fail(f"无法写入 {out_dir}：{e.strerror or e}")
    read = sum(1 for r in results if r.ok)
    errors = sum(r.report.count(Severity.ERROR) for r in results if r.ok)
    typer.echo(f"审核 {len(results)} 份：读取 {read} 份，未能读取 {len(results) - read} 份；共发现错误 {errors} 项。")
    for r in results:
        if not r.ok:
            typer.echo(f"  未能读取 {r.name}：{r.error}")
    if skipped:
        typer.echo(f"  另有 {len(skipped)} 个非表格文件未审核。")
    typer.echo(f"汇总表：{out_dir / '审核汇总.xlsx'}；审核意见 {len(results)} 份在 {out_dir}")


@app.command("eval")
def eval_cmd(
    cases: list[Path] = typer.Option(..., "--cases", "-c", help="案例文件夹（可多次指定），格式见 evals/cases/filed/README.md"),
    engine: str = typer.Option("offline", "--engine", "-e", help="offline 或 llm"),
    out: Optional[Path] = typer.Option(None, "--out", help="报告输出文件夹（JSON、Markdown、图表）"),
    base_url: Optional[str] = BASE_URL_OPT,
    model: Optional[str] = MODEL_OPT,
    provider: Optional[str] = PROVIDER_OPT,
    no_cache: bool = typer.Option(False, "--no-cache", help="模型评测时不使用磁盘缓存"),
) -> None:
    """用案例评测起草质量（offline 或配置的模型），输出指标、报告和图表。"""
    from .engines import EngineError
    from .evaluation import run_eval

    if engine not in ("offline", "llm"):
        _fail("--engine 只能是 offline 或 llm")
    for folder in cases:
        if not folder.is_dir():
            _fail(f"案例文件夹不存在：{folder}")
    try:
        report = run_eval(cases, engine=engine, out_dir=out, settings=_settings(base_url, model, provider),
                          use_cache=not no_cache)
    except EngineError as e:
        _fail(str(e))
    typer.echo(report["text"])


@app.command("serve")
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机访问）"),
    port: int = typer.Option(7860, "--port"),
    auth: Optional[str] = typer.Option(None, "--auth", envvar="ASSISTANT_AUTH", help="用户名:密码"),
    db: Optional[str] = typer.Option(None, "--db", envvar="ASSISTANT_DB", help="SQLAlchemy 地址，默认数据目录下的 SQLite"),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="数据目录（草稿库、导出文件）"),
    base_url: Optional[str] = BASE_URL_OPT,
    model: Optional[str] = MODEL_OPT,
    provider: Optional[str] = PROVIDER_OPT,
    settings_admin: Optional[str] = typer.Option(None, "--settings-admin",
                                                 help="只允许这个登录用户修改网页里的模型设置（默认运行服务的人都可以）"),
) -> None:
    """启动网页应用（默认 http://127.0.0.1:7860）。"""
    import os

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    creds = None
    if auth:
        if ":" not in auth:
            _fail("--auth 的格式是 用户名:密码")
        user, _, password = auth.partition(":")
        creds = (user, password)
    settings = _settings(base_url, model, provider)
    from .app import create_service
    from .app.ui import launch

    try:
        service = create_service(settings, db, data_dir, settings_admin=settings_admin)
    except Exception as e:  # a bad --db URL or an unwritable data directory
        _fail(f"无法打开草稿库：{e}")
    typer.echo(("使用大模型：" + settings.describe_llm()) if service.uses_model else "未配置大模型，使用离线规则引擎。")
    typer.echo(f"打开 http://{host}:{port} 使用绩效指标助手（Ctrl+C 退出）。")
    launch(service, host=host, port=port, auth=creds, quiet=True)


@app.command("doctor")
def doctor_cmd(
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="数据目录（读取网页里保存的模型设置）"),
    base_url: Optional[str] = BASE_URL_OPT,
    model: Optional[str] = MODEL_OPT,
    provider: Optional[str] = PROVIDER_OPT,
) -> None:
    """测试模型连接：发一个很小的请求，说明接口是否可用、支持哪种结构化输出。退出码 0 可用，1 不可用。"""
    from .config import with_saved
    from .engines.llm.probe import probe

    settings = _settings(base_url, model, provider)
    settings = with_saved(settings, Path(data_dir or settings.data_dir))
    if not settings.llm_configured:
        typer.echo("未配置大模型：离线规则引擎可用。要使用模型，请设置接口地址和模型名（--base-url、--model，"
                   "或在网页的“模型设置”里保存）。")
        raise typer.Exit(1)
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    typer.echo(f"测试 {settings.describe_llm()} …")
    result = probe(settings.llm_base_url, settings.llm_model or "", key, timeout=settings.llm_timeout)
    typer.echo(result.message)
    raise typer.Exit(0 if result.ok else 1)


def main() -> None:
    import os

    try:
        app()
    except KeyboardInterrupt:
        typer.echo("已中断", err=True)
        sys.exit(130)
    except Exception as e:  # the last line of defence: a clear message, never a traceback
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        typer.echo(f"错误：处理失败（{type(e).__name__}：{e}）。设置 ASSISTANT_DEBUG=1 可查看详细信息。", err=True)
        sys.exit(2)
