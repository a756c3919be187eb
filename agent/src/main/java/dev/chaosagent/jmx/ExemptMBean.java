package dev.chaosagent.jmx;

import dev.chaosagent.bootstrap.Dispatcher;

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
    ExemptMBean(T implementation, Class<T> mxbeanInterface) {
        super(implementation, mxbeanInterface, true);
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException, MBeanException, ReflectionException {
        boolean was = Dispatcher.exemptCurrentThread(true);
        try {
            return super.getAttribute(attribute);
        } finally {
            Dispatcher.exemptCurrentThread(was);
        }
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        boolean was = Dispatcher.exemptCurrentThread(true);
        try {
            return super.getAttributes(attributes);
        } finally {
            Dispatcher.exemptCurrentThread(was);
        }
    }

    @Override
    public void setAttribute(Attribute attribute)
            throws AttributeNotFoundException, InvalidAttributeValueException, MBeanException, ReflectionException {
        boolean was = Dispatcher.exemptCurrentThread(true);
        try {
            super.setAttribute(attribute);
        } finally {
            Dispatcher.exemptCurrentThread(was);
        }
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        boolean was = Dispatcher.exemptCurrentThread(true);
        try {
            return super.setAttributes(attributes);
        } finally {
            Dispatcher.exemptCurrentThread(was);
        }
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        boolean was = Dispatcher.exemptCurrentThread(true);
        try {
            return super.invoke(actionName, params, signature);
        } finally {
            Dispatcher.exemptCurrentThread(was);
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        boolean was = Dispatcher.exemptCurrentThread(true);
        try {
            return super.getMBeanInfo();
        } finally {
            Dispatcher.exemptCurrentThread(was);
        }
    }
}
