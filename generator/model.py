"""The authors' contract (schema v1) as typed classes.

These models are the single statement of the schema: validation, the JSON Schema
that editors use for completion (`psychoed schema`) and the field reference in the
README all derive from them. Field names are a contract with existing curricula:
add fields freely, rename none without a migration.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal, Optional, Union, get_args, get_origin

from pydantic import (BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, create_model, field_validator,
                      model_validator)

from .names import ENGINE_NAMES

SCHEMA_VERSION = 1

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
    Field(description="Lower-case letters, digits and single hyphens, e.g. `paced-breathing`."),
]
Text = Annotated[str, StringConstraints(min_length=1), Field(description="Plain text; may use {{ track.vars.NAME }}.")]
Markdown = Annotated[str, Field(description="Markdown; may use {{ track.vars.NAME }}. Raw HTML is not allowed.")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>]+$"), Field(description="A web address starting with https://.")]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"),
    Field(description="A language code such as en, es or pt-BR."),
]
Audience = Literal["participants", "families", "all"]
Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Strict(BaseModel):
    """Base for every part of the contract: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- program.yml -------------------------------------------------------------------


PHONE_PATTERN = r"^\+?[0-9]{2,15}$"
PhoneNumber = Annotated[
    str,
    StringConstraints(pattern=PHONE_PATTERN),
    Field(description="Digits only, with an optional leading + (e.g. 988, +448001234567); used for tap-to-call links."),
]
CrisisRole = Literal["line", "emergency"]
CRISIS_ROLES: tuple[str, ...] = get_args(CrisisRole)


class CrisisResource(Strict):
    name: Text
    contact: Text = Field(description="How to reach it, in words: 'Call or text 988'.")
    url: Optional[Url] = None
    verified_on: datetime.date = Field(description="When someone last checked this resource is current.")
    role: Optional[CrisisRole] = Field(
        None, description="line: the main crisis line ({{ crisis.line.* }} in text); emergency: immediate danger "
                          "({{ crisis.emergency.* }}). A program has exactly one of each.")
    how: Optional[str] = Field(
        None, description="How to reach it, as a lowercase phrase that reads mid-sentence: 'call or text 988'. "
                          "Used in text as {{ crisis.line.how }}; required with `role`.")
    phone: Optional[PhoneNumber] = Field(None, description="Number to call, linked as tel: on the site.")
    sms: Optional[PhoneNumber] = Field(None, description="Number to text, linked as sms: on the site.")
    sms_body: Optional[str] = Field(None, description="The word the line asks people to text (e.g. AYUDA for 988 in "
                                    "Spanish); the sms: link carries it and the button says it.")

    @field_validator("how")
    @classmethod
    def _how_reads_mid_sentence(cls, how: Optional[str]) -> Optional[str]:
        if how is not None and (not how.strip() or how.strip()[0].isupper() or how.strip().endswith((".", "!", ";"))):
            raise ValueError("should be a lowercase phrase that reads mid-sentence, with no final period, "
                             "e.g. `call or text 988`")
        return how

    @model_validator(mode="after")
    def _role_needs_how(self) -> "CrisisResource":
        if self.role is not None and self.how is None:
            raise ValueError("a crisis resource with a `role` needs `how`, e.g. `how: call or text 988`")
        return self


class Resource(Strict):
    name: Text
    description: str = ""
    url: Optional[Url] = None
    verified_on: datetime.date


class Family(Strict):
    title: Text
    audience: Audience = Field("participants", description="Default audience of the family's modules.")
    description: str = ""


class PhraseRule(Strict):
    """One wording to flag: literal words (`phrase`) or a regular expression (`pattern`)."""

    phrase: Optional[str] = Field(None, description="Words to flag, matched whole and ignoring case.")
    pattern: Optional[str] = Field(None, description="A regular expression to flag, ignoring case.")
    use: Optional[str] = Field(None, description="Suggested replacement, shown with the finding.")
    severity: Literal["error", "warning"] = "error"

    @model_validator(mode="after")
    def _one_matcher(self) -> "PhraseRule":
        if (self.phrase is None) == (self.pattern is None):
            raise ValueError("give either `phrase` or `pattern`")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"`pattern` is not a valid regular expression: {exc}") from None
        return self

    def regex(self) -> "re.Pattern[str]":
        source = self.pattern if self.pattern is not None else r"\b" + r"\s+".join(map(re.escape, str(self.phrase).split())) + r"\b"
        return re.compile(source, re.IGNORECASE)


class PhraseSet(Strict):
    """A named rule set; its name is the rule id printed with each finding."""

    applies: Literal["always", "families", "named"] = Field(
        "named", description="always: every text; families: family pages and tracks that name it; named: tracks that name it.")
    phrases: list[PhraseRule] = Field(min_length=1)
    language: Optional[LanguageCode] = Field(  # type: ignore[valid-type]
        None, description="Check only text in this language (the program's, or a translation's); "
                          "default: text in every language.")


class Safety(Strict):
    rules: list[Slug] = Field(default_factory=list, description="Rule sets to check, e.g. person-first, no-body-numbers.")
    avoid: list[PhraseRule] = Field(default_factory=list, description="Extra phrases to flag (rule id `avoid`).")
    rule_sets: dict[Slug, PhraseSet] = Field(default_factory=dict, description="New named rule sets.")


EngineName = Literal[ENGINE_NAMES]  # type: ignore[valid-type]  # ("mkdocs", "zensical")
class HandoutSettings(Strict):
    """How the PDF handouts are laid out; the site always has the full text."""

    layout: Literal["full", "compact"] = Field(
        "full", description="full: every handout's whole text. compact: main message, key points, steps, "
        "questions with room to write, practice and worksheets, about half the pages; the rest stays on the site.")
    large_print: bool = Field(False, description="Also publish every PDF in large print (18 pt), linked from the site.")


class TranslationSettings(Strict):
    """One extra language the program publishes, from `<stem>.<lang>.yml` overlays beside the sources."""

    tracks: list[Slug] = Field(min_length=1, description="The tracks published in this language.")
    fallback: bool = Field(False, description="true: an untranslated field shows the source text and the page "
                           "says so; false: an untranslated field is a `check` error.")


class Program(Strict):
    name: Text
    organization: Text
    language: LanguageCode = Field("en", description="The language the curriculum is written in.")
    translations: dict[LanguageCode, TranslationSettings] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Extra languages, e.g. `es: {tracks: [addiction], fallback: false}`.")
    disclaimer: Text = Field(description="Shown on every page and every handout.")
    crisis: list[CrisisResource] = Field(
        min_length=1, description="Shown on every page and every handout; exactly one has `role: line` and one "
                                  "`role: emergency`.")
    resources: list[Resource] = Field(default_factory=list, description="Further help, listed on each track's resources page.")
    review_limit_months: int = Field(12, ge=1)
    families: dict[Slug, Family] = Field(min_length=1, description="Module families, in display order.")
    paper: Literal["letter", "a4"] = "letter"
    handouts: HandoutSettings = Field(default_factory=HandoutSettings, description="Layout of the PDF handouts.")
    safety: Safety = Field(default_factory=Safety, description="Rules and phrases added for every track.")
    engine: EngineName = Field("mkdocs", description="The static-site engine that builds the sites: mkdocs "
                               "(MkDocs + Material) or zensical. `psychoed build --engine` overrides it.")

    @field_validator("crisis")
    @classmethod
    def _one_line_one_emergency(cls, crisis: list[CrisisResource]) -> list[CrisisResource]:
        for role in CRISIS_ROLES:
            count = sum(1 for r in crisis if r.role == role)
            if count != 1:
                raise ValueError(f"needs exactly one entry with `role: {role}` (found {count}); "
                                 "text refers to it as {{ crisis." + role + ".how }}")
        return crisis

    def crisis_role(self, role: str) -> CrisisResource:
        return next(r for r in self.crisis if r.role == role)


# --- tracks/<track>.yml ------------------------------------------------------------


class Session(Strict):
    module: Slug
    worksheets: Optional[list[Slug]] = Field(None, description="Overrides the module's own worksheets for this session.")


class Week(Strict):
    title: Text
    sessions: list[Session] = Field(min_length=1)


class Track(Strict):
    id: Slug
    title: Text
    summary: Text
    audience: str = Field("", description="Who the track is for, in a sentence.")
    welcome: Markdown = Field("", description="Extra words for the track's home page.")
    vars: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")], str] = Field(
        default_factory=dict, description="Usable in any module text as {{ track.vars.NAME }}."
    )
    safety: Safety = Field(default_factory=Safety)
    start: Optional[datetime.date] = Field(
        None, description="The day of the first session of week 1, e.g. 2027-01-11, for a cohort with fixed dates. "
                          "Without it the track has rolling admission: weeks are counted from when each person joins.")
    meeting_days: list[Weekday] = Field(
        default_factory=list, max_length=7,
        description="The days the group meets, in week order, e.g. [Mon, Wed, Thu]: a week's first session is on the "
                    "first day, its second on the second, and so on. `start` must fall on the first day.")
    weeks: list[Week] = Field(min_length=1, description="The schedule, in order.")


# --- modules/<family>/<module>.yml -------------------------------------------------


class Section(Strict):
    heading: Text
    body: Markdown = ""
    steps: list[Text] = Field(default_factory=list, description="Numbered steps, shown after the body.")

    @model_validator(mode="after")
    def _has_content(self) -> "Section":
        if not self.body.strip() and not self.steps:
            raise ValueError("a section needs a `body` or `steps`")
        return self


class TimingStep(Strict):
    minutes: int = Field(gt=0)
    activity: Text


class Facilitator(Strict):
    timing: list[TimingStep] = Field(default_factory=list)
    prompts: list[Text] = Field(default_factory=list)
    notes: Markdown = ""


class Reference(Strict):
    """A source, rendered one way everywhere: Author. *Title*. Publisher, Year. Number. URL"""

    author: Text = Field(description="People or organization, e.g. 'Substance Abuse and Mental Health Services "
                                     "Administration (SAMHSA)'.")
    title: Text
    publisher: Optional[Text] = Field(None, description="Leave out when it is the same as the author.")
    year: Optional[int] = Field(None, ge=1800, le=2100, description="The year it was published. Leave it out "
                                "for a web page that shows no date: it reads \"n.d.\" (no date), never a guessed year.")
    number: Optional[str] = Field(None, description="Publication number or DOI, e.g. '(SMA) 13-4182'.")
    url: Url
    tracks: Optional[list[Slug]] = Field(None, description="Only on these tracks' pages; default: every track.")

    def shown_on(self, track_id: str) -> bool:
        return self.tracks is None or track_id in self.tracks


def _reference_kind(value: Any) -> str:
    return "structured" if isinstance(value, (dict, Reference)) else "text"


ReferenceItem = Annotated[
    Union[Annotated[Text, Tag("text")], Annotated[Reference, Tag("structured")]],
    Discriminator(_reference_kind),
    Field(description="A structured reference (author, title, year, url ...); plain text is accepted with a warning."),
]


class ModuleContent(Strict):
    """The fields of a module that a track's variant may override."""

    title: Text
    code: Optional[str] = Field(None, description="Short code printed on handouts, e.g. CS-3.")
    audience: Optional[Audience] = Field(None, description="Defaults to the family's audience.")
    minutes: int = Field(50, gt=0)
    summary: Text
    main_message: Text
    content_notes: list[Text] = Field(default_factory=list, description="Shown before the content, e.g. 'mentions self-harm'.")
    objectives: list[Text] = Field(min_length=1)
    key_points: list[Text] = Field(min_length=1)
    sections: list[Section] = Field(default_factory=list)
    discussion: list[Text] = Field(default_factory=list)
    practice: list[Text] = Field(default_factory=list)
    worksheets: list[Slug] = Field(default_factory=list)
    facilitator: Facilitator = Field(default_factory=Facilitator)
    references: list[ReferenceItem] = Field(default_factory=list)
    covers: list[Slug] = Field(
        default_factory=list,
        description="Safety topics this text teaches (e.g. safety-plan, withdrawal-safety); each is checked for the "
                    "phrases the topic needs. Known topics: see `safety_topics` in the rule data.")
    last_reviewed: datetime.date


class Suppression(Strict):
    rule: Slug = Field(description="The id of the content rule, as `psychoed check` prints it.")
    reason: Text = Field(description="Why this module may break the rule; shown by `check --verbose`.")


def _all_optional(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A model with the same fields as `model`, none required (for variants)."""
    fields: dict[str, Any] = {
        field_name: (Optional[field.annotation], Field(None, description=field.description))
        for field_name, field in model.model_fields.items()
    }
    return create_model(name, __base__=Strict, __doc__="Per-track overrides of module fields.", **fields)


ModuleVariant = _all_optional(ModuleContent, "ModuleVariant")


class Module(ModuleContent):
    id: Slug
    family: Slug = Field(description="Defaults to the module's folder under modules/.")
    tracks: Union[Literal["all"], list[Slug]] = "all"
    variants: dict[Slug, ModuleVariant] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="Per-track overrides: mappings merge, lists and text replace.",
    )
    allow: list[Suppression] = Field(default_factory=list, description="Content-rule findings accepted for this module.")

    def applies_to(self, track_id: str) -> bool:
        return self.tracks == "all" or track_id in self.tracks


# --- worksheets/<worksheet>.yml ----------------------------------------------------


class FieldBase(Strict):
    label: Text
    help: str = Field("", description="A short hint shown under the label.")


class TextField(FieldBase):
    type: Literal["text"]
    lines: int = Field(3, ge=1, le=30, description="Write-in lines to leave.")


class ScaleField(FieldBase):
    type: Literal["scale"]
    min: int = 0
    max: int = 10
    min_label: str = ""
    max_label: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> "ScaleField":
        if not self.min < self.max <= self.min + 20:
            raise ValueError("a scale needs min < max, at most 20 steps apart")
        return self


class ChecklistField(FieldBase):
    type: Literal["checklist"]
    options: list[Text] = Field(min_length=1)


class TableField(FieldBase):
    type: Literal["table"]
    columns: list[Text] = Field(min_length=1, max_length=8)
    rows: int = Field(5, ge=1, le=31)


class DateField(FieldBase):
    type: Literal["date"]


class ListField(FieldBase):
    type: Literal["list"]
    items: int = Field(3, ge=1, le=12, description="Numbered write-in lines.")


class YesNoField(FieldBase):
    type: Literal["yesno"]


class HeadingField(FieldBase):
    """Not a question: starts a new part of the worksheet, titled `label`, with `help` under it."""

    type: Literal["heading"]


WorksheetField = Annotated[
    Union[TextField, ScaleField, ChecklistField, TableField, DateField, ListField, YesNoField, HeadingField],
    Field(discriminator="type"),
]


class Worksheet(Strict):
    id: Slug
    title: Text
    code: Optional[str] = None
    instructions: Text
    tags: list[Slug] = Field(default_factory=list, description="e.g. safety-plan, relapse-prevention-plan.")
    fields: list[WorksheetField] = Field(min_length=1)


# --- the whole curriculum ----------------------------------------------------------

FILE_KINDS: dict[str, type[BaseModel]] = {
    "program": Program,
    "track": Track,
    "module": Module,
    "worksheet": Worksheet,
}


def known_fields(model: type[BaseModel], data_path: tuple[Any, ...]) -> list[str]:
    """The field names allowed in the mapping at `data_path` of a `model` document.

    Follows pydantic error locations: list indexes, dict keys and union tags.
    """
    annotation: Any = model
    for step in data_path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(step))
            if field is None:
                return []
            annotation = field.annotation
        elif get_origin(annotation) is list and isinstance(step, int):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        elif get_origin(annotation) is Union:
            tagged = [m for m in get_args(annotation) if step in (_type_tag(m), _discriminator_tag(m))]
            if not tagged:
                return []
            annotation = tagged[0]
        else:
            return []
    annotation = _unwrap(annotation)
    if get_origin(annotation) is Union:  # a discriminated union not yet narrowed by a tag
        return sorted({name for m in get_args(annotation) for name in _unwrap(m).model_fields})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] so the structural type shows."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if get_origin(annotation) is Union:
            members = [m for m in get_args(annotation) if m is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _discriminator_tag(member: Any) -> Any:
    """The `Tag` of a member of a union with a callable discriminator, e.g. `structured`."""
    if get_origin(member) is Annotated:
        return next((m.tag for m in get_args(member)[1:] if isinstance(m, Tag)), None)
    return None


def _type_tag(model: Any) -> Any:
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel) and "type" in model.model_fields:
        return get_args(model.model_fields["type"].annotation)[0]
    return None
