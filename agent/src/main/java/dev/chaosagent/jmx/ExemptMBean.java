package dev.chaosagent.jmx;

import dev.chaosagent.plan.DispatcherGate;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;
import javax.management.StandardMBean;

/**
 * An MXBean whose every read, write and operation runs exempt from the rules: the JMX
 * connector's threads are the application's as far as the rules know, and a rule on a JDK
 * method the agent's own work goes through (a map, a string builder) must not fire inside it.
 */
final class ExemptMBean<T> extends StandardMBean {
    private final DispatcherGate gate;

    ExemptMBean(T implementation, Class<T> mxbeanInterface, DispatcherGate gate) {
        super(implementation, mxbeanInterface, true);
        this.gate = gate;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException, MBeanException, ReflectionException {
        int was = gate.enterAgentWork();
        try {
            return super.getAttribute(attribute);
        } finally {
            gate.leaveAgentWork(was);
        }
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        int was = gate.enterAgentWork();
        try {
            return super.getAttributes(attributes);
        } finally {
            gate.leaveAgentWork(was);
        }
    }

    @Override
    public void setAttribute(Attribute attribute)
            throws AttributeNotFoundException, InvalidAttributeValueException, MBeanException, ReflectionException {
        int was = gate.enterAgentWork();
        try {
            super.setAttribute(attribute);
        } finally {
            gate.leaveAgentWork(was);
        }
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        int was = gate.enterAgentWork();
        try {
            return super.setAttributes(attributes);
        } finally {
            gate.leaveAgentWork(was);
        }
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        int was = gate.enterAgentWork();
        try {
            return super.invoke(actionName, params, signature);
        } finally {
            gate.leaveAgentWork(was);
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        int was = gate.enterAgentWork();
        try {
            return super.getMBeanInfo();
        } finally {
            gate.leaveAgentWork(was);
        }
    }
}
