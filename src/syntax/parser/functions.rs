//! Function declarations: `function name(arg: type, …) = body`.

use super::{Builder, Children, Result};
use crate::span::Node;
use crate::syntax::ast::{Argument, ArgumentType, Function};
use crate::syntax::grammar::Rule;
use pest::iterators::Pair;

impl Builder {
    pub(super) fn function(&self, pair: Pair<'_, Rule>) -> Result<Node<Function>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.ident(c.next());
        let mut args = Vec::new();
        while let Some(arg) = c.next_if(Rule::argument) {
            args.push(self.argument(arg)?);
        }
        let body = self.expr(c.next())?;
        let allows = self.allows(c.rest())?;
        Ok(Node::new(
            Function {
                docs,
                name,
                args,
                body,
                allows,
            },
            span,
        ))
    }

    fn argument(&self, pair: Pair<'_, Rule>) -> Result<Node<Argument>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let name = self.ident(c.next());
        let ty_pair = c.next();
        let ty_span = self.span(&ty_pair);
        let rule = ty_pair.as_rule();
        let mut tc = Children::of(ty_pair);
        let ty = match rule {
            Rule::type_boolean => ArgumentType::Boolean,
            Rule::type_count => ArgumentType::Count(self.type_range(&mut tc)?),
            Rule::type_integer => ArgumentType::Integer(self.type_range(&mut tc)?),
            Rule::type_decimal => ArgumentType::Decimal(self.type_range(&mut tc)?),
            Rule::type_member => ArgumentType::MemberOf(self.ident(tc.next())),
            _ => ArgumentType::Text,
        };
        Ok(Node::new(
            Argument {
                name,
                ty: Node::new(ty, ty_span),
            },
            span,
        ))
    }
}
