"""Questionnaire definitions: typed models, item-type registry, loading."""
from .definition import Questionnaire, Rubric
from .items import ITEM_TYPES, AnswerValueError
from .loader import DefinitionError, LoadedDefinition, load_definition, load_directory

__all__ = ["Questionnaire", "Rubric", "ITEM_TYPES", "AnswerValueError", "DefinitionError",
           "LoadedDefinition", "load_definition", "load_directory"]
